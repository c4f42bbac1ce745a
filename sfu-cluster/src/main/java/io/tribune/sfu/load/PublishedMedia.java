package io.tribune.sfu.load;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one simulated camera and microphone send: Opus-like audio (one packet every 20 ms, 48 kHz clock) and
 * VP8-like video (30 frames a second at a configured bitrate, each frame cut into packets of at most 1,200
 * bytes, a key frame every 2 s, the marker bit on a frame's last packet, 90 kHz clock). Payloads are filler
 * behind a valid VP8 payload descriptor and header (RFC 7741), so an SFU that looks for key frames finds them.
 *
 * <p>Not thread-safe: the {@link LoadGenerator}'s thread drives it.
 */
public final class PublishedMedia {

    public static final int AUDIO_PAYLOAD_TYPE = 111;
    public static final int VIDEO_PAYLOAD_TYPE = 96;
    public static final int VIDEO_RTX_PAYLOAD_TYPE = 97;
    private static final int MAX_VIDEO_PAYLOAD = 1200 - 12;
    private static final int AUDIO_PAYLOAD = 120;
    private static final long FRAME_NANOS = 1_000_000_000L / 30;
    private static final long AUDIO_NANOS = 20_000_000L;
    private static final int KEY_FRAME_EVERY = 60;

    private final LoadPeer peer;
    private final int audioSsrc;
    private final int videoSsrc;
    private final int videoRtxSsrc;
    private final int frameBytes;
    private final byte[] packet = new byte[1500];
    private int audioSequence = ThreadLocalRandom.current().nextInt(0x10000);
    private int videoSequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long audioTimestamp = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
    private long videoTimestamp = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
    private long frames;
    private long nextAudio;
    private long nextFrame;

    /** @param videoKbps the video bitrate; the frame size follows from it at 30 frames a second */
    public PublishedMedia(LoadPeer peer, int videoKbps) {
        this.peer = peer;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.audioSsrc = random.nextInt(1, Integer.MAX_VALUE);
        this.videoSsrc = random.nextInt(1, Integer.MAX_VALUE);
        this.videoRtxSsrc = random.nextInt(1, Integer.MAX_VALUE);
        this.frameBytes = Math.max(100, videoKbps * 1000 / 8 / 30);
    }

    public LoadPeer peer() {
        return peer;
    }

    public long audioSsrc() {
        return audioSsrc & 0xffffffffL;
    }

    public long videoSsrc() {
        return videoSsrc & 0xffffffffL;
    }

    public long videoRtxSsrc() {
        return videoRtxSsrc & 0xffffffffL;
    }

    /** Packets per second this source sends: audio plus video. */
    public double packetsPerSecond() {
        int perFrame = (frameBytes + MAX_VIDEO_PAYLOAD - 3) / (MAX_VIDEO_PAYLOAD - 2);
        return 50 + 30.0 * perFrame;
    }

    /** Starts the clocks now; {@link #sendDue} sends from here on. */
    void start(long nowNanos) {
        nextAudio = nowNanos + ThreadLocalRandom.current().nextLong(AUDIO_NANOS);
        nextFrame = nowNanos + ThreadLocalRandom.current().nextLong(FRAME_NANOS);
    }

    /** Sends every packet due by {@code nowNanos}; returns the time the next one is due. */
    long sendDue(long nowNanos) throws IOException {
        while (nextAudio <= nowNanos) {
            sendAudio();
            nextAudio += AUDIO_NANOS;
        }
        while (nextFrame <= nowNanos) {
            sendFrame();
            nextFrame += FRAME_NANOS;
        }
        return Math.min(nextAudio, nextFrame);
    }

    private void sendAudio() throws IOException {
        header(AUDIO_PAYLOAD_TYPE, false, audioSequence++, audioTimestamp, audioSsrc);
        audioTimestamp += 960;
        packet[12] = (byte) 0xfc; // an Opus TOC byte: CELT fullband 20 ms
        peer.sendRtp(packet, 12 + AUDIO_PAYLOAD);
    }

    private void sendFrame() throws IOException {
        boolean key = frames++ % KEY_FRAME_EVERY == 0;
        int remaining = frameBytes;
        boolean first = true;
        while (remaining > 0) {
            int chunk = Math.min(remaining, MAX_VIDEO_PAYLOAD - 1);
            remaining -= chunk;
            header(VIDEO_PAYLOAD_TYPE, remaining == 0, videoSequence++, videoTimestamp, videoSsrc);
            // RFC 7741 §4.2: payload descriptor, S bit on a frame's first packet, partition 0.
            packet[12] = (byte) (first ? 0x10 : 0x00);
            if (first) {
                // §4.3 payload header: show_frame, P = 0 on key frames; then a key frame's start code and size.
                packet[13] = (byte) (key ? 0x10 : 0x11);
                packet[14] = 0;
                packet[15] = 0;
                if (key) {
                    packet[16] = (byte) 0x9d;
                    packet[17] = 0x01;
                    packet[18] = 0x2a;
                    packet[19] = (byte) (1280 & 0xff);
                    packet[20] = (byte) (1280 >> 8);
                    packet[21] = (byte) (720 & 0xff);
                    packet[22] = (byte) (720 >> 8);
                }
            }
            first = false;
            peer.sendRtp(packet, 12 + 1 + chunk);
        }
        videoTimestamp += 3000;
    }

    private void header(int payloadType, boolean marker, int sequence, long timestamp, int ssrc) {
        packet[0] = (byte) 0x80;
        packet[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        packet[4] = (byte) (timestamp >> 24);
        packet[5] = (byte) (timestamp >> 16);
        packet[6] = (byte) (timestamp >> 8);
        packet[7] = (byte) timestamp;
        packet[8] = (byte) (ssrc >> 24);
        packet[9] = (byte) (ssrc >> 16);
        packet[10] = (byte) (ssrc >> 8);
        packet[11] = (byte) ssrc;
    }
}
