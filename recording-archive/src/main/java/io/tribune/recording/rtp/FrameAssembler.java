package io.tribune.recording.rtp;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * The frame bookkeeping VP8 and H.264 share: a frame is the payload of consecutive packets with one RTP timestamp,
 * ending at the marker bit (or when the timestamp changes). A frame that lost a packet is dropped, and so is every
 * frame after it until the next key frame, because a decoder cannot use them. Not thread-safe.
 */
abstract class FrameAssembler implements Depacketizer {

    private final int maxFrameBytes;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private long frameTimestamp = -1;
    private boolean frameStarted;
    private boolean frameBroken;
    private boolean frameKey;
    private boolean waitingForKeyframe = true;
    private long dropped;
    private long corrupt;

    FrameAssembler(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public final void push(RtpPacket packet, Consumer<MediaFrame> out) {
        if (packet.lostBefore()) {
            // Whatever was lost belonged to the frame being assembled or to frames this one may refer to.
            waitingForKeyframe = true;
            if (frameTimestamp >= 0) {
                frameBroken = true;
            }
        }
        if (frameTimestamp >= 0 && packet.timestamp() != frameTimestamp) {
            // The previous frame never saw its marker: the sender omitted it, or its last packet was lost (above).
            endFrame(out);
        }
        if (frameTimestamp < 0) {
            frameTimestamp = packet.timestamp();
        }
        switch (append(packet.payload())) {
            case CORRUPT -> {
                corrupt++;
                frameBroken = true;
            }
            case MISSING_START -> frameBroken = true;
            default -> {
            }
        }
        if (frame.size() > maxFrameBytes) {
            frameBroken = true;
            frame.reset();
        }
        if (packet.marker()) {
            endFrame(out);
        }
    }

    @Override
    public final void flush(Consumer<MediaFrame> out) {
        if (frameTimestamp >= 0) {
            endFrame(out);
        }
    }

    /** What {@link #append} made of a payload. */
    enum Appended { OK, CORRUPT, MISSING_START }

    /** Adds the payload's frame data; anything but OK breaks the frame. */
    abstract Appended append(byte[] payload);

    /** Whether the frame as assembled so far can start decoding; called before it is handed over. */
    abstract boolean isKeyframe(byte[] frame);

    /** Whether the frame as assembled is whole (e.g. no FU-A left open); called at the frame's end. */
    boolean isComplete() {
        return true;
    }

    /** Clears per-frame parsing state. */
    void resetFrame() {
    }

    final ByteArrayOutputStream frameBuffer() {
        return frame;
    }

    final boolean frameStarted() {
        return frameStarted;
    }

    final void markStarted() {
        frameStarted = true;
    }

    private void endFrame(Consumer<MediaFrame> out) {
        byte[] data = frame.toByteArray();
        boolean whole = !frameBroken && frameStarted && data.length > 0 && isComplete();
        if (whole) {
            frameKey = isKeyframe(data);
        }
        if (!whole) {
            dropped++;
            waitingForKeyframe = true;
        } else if (waitingForKeyframe && !frameKey) {
            dropped++;
        } else {
            waitingForKeyframe = false;
            out.accept(new MediaFrame(frameTimestamp, frameKey, data));
        }
        frame.reset();
        frameTimestamp = -1;
        frameStarted = false;
        frameBroken = false;
        frameKey = false;
        resetFrame();
    }

    @Override
    public final long droppedFrames() {
        return dropped;
    }

    @Override
    public final long corruptPackets() {
        return corrupt;
    }
}
