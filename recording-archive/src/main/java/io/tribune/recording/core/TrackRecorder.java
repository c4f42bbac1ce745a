package io.tribune.recording.core;

import io.tribune.events.RtpRecord;
import io.tribune.recording.mux.TrackCodec;
import io.tribune.recording.mux.TrackFileWriter;
import io.tribune.recording.rtp.Depacketizer;
import io.tribune.recording.rtp.H264Depacketizer;
import io.tribune.recording.rtp.MediaFrame;
import io.tribune.recording.rtp.OpusDepacketizer;
import io.tribune.recording.rtp.ReorderBuffer;
import io.tribune.recording.rtp.RtpPacket;
import io.tribune.recording.rtp.Vp8Depacketizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One track being recorded: its packets go through the {@link ReorderBuffer}, the codec's {@link Depacketizer} and a
 * {@link TrackFileWriter} into a local file. The file is opened at the first frame a decoder can start with (the
 * first VP8 key frame gives the dimensions, H.264 needs its SPS and PPS first). Packets of another payload type are
 * counted and skipped. A writer error marks the track failed; the rest of its packets are then only counted.
 *
 * <p>A track's packets may change SSRC: the SFU taps the highest simulcast layer the publisher sends and moves to
 * another layer at that layer's key frame. Each SSRC numbers its sequence and timestamps on its own, so a new SSRC
 * gets a fresh reorder buffer and depacketizer (the old one's packets are released first), and its timestamps are
 * shifted to continue the file's clock: its first frame comes as long after the previous frame as its first packet
 * arrived after the previous packet. Packets of an SSRC the track already left are counted as late and skipped.
 *
 * <p>Not thread-safe: owned by the consumer thread.
 */
public final class TrackRecorder implements AutoCloseable {

    /** What {@link #finish()} produced. */
    public enum Outcome { WRITTEN, EMPTY, FAILED }

    private final TrackInfo info;
    private final Path file;
    private final int reorderPackets;
    private final int maxFrameBytes;
    private final TrackCodec codec;
    private ReorderBuffer buffer;
    private Depacketizer depacketizer;
    private long ssrc = -1;
    private final java.util.Set<Long> leftSsrcs = new java.util.HashSet<>();
    private long lastArrivalMicros;
    /** Added to the current SSRC's (extended) timestamps; set at its first frame when {@link #shiftPending}. */
    private long timestampShift;
    private boolean shiftPending;
    private long shiftGapTicks;
    private long lastFrameTimestamp;
    private long ssrcChanges;
    private long retiredLost;
    private long retiredLate;
    private long retiredDuplicates;
    private long retiredDroppedFrames;
    private long retiredCorrupt;
    private TrackFileWriter writer;
    /** Until the first frame is written: each RTP timestamp's first arrival time, to date that frame. */
    private java.util.Map<Long, Long> arrivals = new java.util.HashMap<>();
    private Long mediaStartMicros;
    private long packets;
    private long unknownPayloadType;
    private long framesWithoutParameters;
    private String failure;
    private Outcome outcome;

    public TrackRecorder(TrackInfo info, Path file, int reorderPackets, int maxFrameBytes) {
        this.info = info;
        this.file = file;
        this.codec = info.codec();
        this.reorderPackets = reorderPackets;
        this.maxFrameBytes = maxFrameBytes;
        this.buffer = new ReorderBuffer(reorderPackets);
        this.depacketizer = newDepacketizer();
    }

    private Depacketizer newDepacketizer() {
        return switch (codec) {
            case VP8 -> new Vp8Depacketizer(maxFrameBytes);
            case H264 -> new H264Depacketizer(maxFrameBytes);
            case OPUS -> new OpusDepacketizer();
        };
    }

    public TrackInfo info() {
        return info;
    }

    /** Takes one tapped packet of this track. */
    public void accept(RtpRecord record) {
        if (outcome != null) {
            return;
        }
        if (record.payloadType() != info.payloadType()) {
            unknownPayloadType++;
            return;
        }
        if (record.ssrc() != ssrc) {
            if (leftSsrcs.contains(record.ssrc())) {
                retiredLate++;
                return;
            }
            if (ssrc >= 0) {
                changeSsrc(record);
            }
            ssrc = record.ssrc();
        }
        packets++;
        lastArrivalMicros = record.arrivalMicros();
        if (arrivals != null && arrivals.size() < 4096) {
            arrivals.putIfAbsent(record.timestamp() & 0xFFFF_FFFFL, record.arrivalMicros());
        }
        buffer.push(record.sequence(), record.timestamp(), record.marker(), record.payload(), this::onPacket);
    }

    /** The track moved to another SSRC (simulcast layer): finish the old stream, start the new one's numbering. */
    private void changeSsrc(RtpRecord first) {
        buffer.flush(this::onPacket);
        depacketizer.flush(this::onFrame);
        retiredLost += buffer.lost();
        retiredLate += buffer.late();
        retiredDuplicates += buffer.duplicates();
        retiredDroppedFrames += depacketizer.droppedFrames();
        retiredCorrupt += depacketizer.corruptPackets();
        leftSsrcs.add(ssrc);
        ssrcChanges++;
        buffer = new ReorderBuffer(reorderPackets);
        depacketizer = newDepacketizer();
        shiftPending = true;
        shiftGapTicks = Math.max(1, (first.arrivalMicros() - lastArrivalMicros) * info.clockRate() / 1_000_000);
    }

    private void onPacket(RtpPacket packet) {
        depacketizer.push(packet, this::onFrame);
    }

    private void onFrame(MediaFrame frame) {
        if (failure != null) {
            return;
        }
        try {
            if (shiftPending) {
                timestampShift = writer == null ? 0 : lastFrameTimestamp + shiftGapTicks - frame.timestamp();
                shiftPending = false;
            }
            if (writer == null && !open(frame)) {
                return;
            }
            long timestamp = frame.timestamp() + timestampShift;
            writer.write(timestamp, frame.keyframe(), frame.data());
            lastFrameTimestamp = timestamp;
            if (mediaStartMicros == null) {
                mediaStartMicros = arrivals.getOrDefault(frame.timestamp() & 0xFFFF_FFFFL, lastArrivalMicros);
                arrivals = null;
            }
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
            if (writer != null) {
                writer.close();
            }
        }
    }

    private boolean open(MediaFrame first) throws IOException {
        Files.createDirectories(file.getParent());
        switch (codec) {
            case VP8 -> {
                int[] size = Vp8Depacketizer.dimensions(first.data());
                if (size == null) {
                    return false;
                }
                writer = new TrackFileWriter(file, codec, info.clockRate(), null, size[0], size[1], 0);
            }
            case H264 -> {
                H264Depacketizer h264 = (H264Depacketizer) depacketizer;
                int[] size = h264.dimensions();
                if (!h264.hasParameterSets() || size == null) {
                    framesWithoutParameters++;
                    return false;
                }
                writer = new TrackFileWriter(file, codec, info.clockRate(), h264.avcDecoderConfiguration(), size[0],
                        size[1], 0);
            }
            case OPUS -> writer = new TrackFileWriter(file, codec, info.clockRate(), OpusDepacketizer.opusHead(2),
                    0, 0, 2);
            default -> throw new IllegalStateException(codec.name());
        }
        return true;
    }

    /** Releases what is buffered and closes the file; idempotent. */
    public Outcome finish() {
        if (outcome != null) {
            return outcome;
        }
        buffer.flush(this::onPacket);
        depacketizer.flush(this::onFrame);
        if (failure == null && writer != null) {
            try {
                writer.finish();
            } catch (IOException e) {
                failure = e.getMessage();
            }
        }
        if (failure != null) {
            outcome = Outcome.FAILED;
        } else if (writer == null || writer.frames() == 0) {
            outcome = Outcome.EMPTY;
        } else {
            outcome = Outcome.WRITTEN;
        }
        return outcome;
    }

    /** Media time from the first frame written to the last, plus one 20 ms audio frame or video frame interval. */
    public long durationMillis() {
        if (writer == null || writer.frames() == 0) {
            return 0;
        }
        long span = writer.spanTicks() * 1000 / info.clockRate();
        long last = writer.frames() > 1 ? span / (writer.frames() - 1) : 0;
        return span + last;
    }

    public Path file() {
        return file;
    }

    /**
     * When the first frame written arrived at the SFU (microseconds since the epoch), null before: where the file's
     * time zero sits on the recording's timeline.
     */
    public Long mediaStartMicros() {
        return mediaStartMicros;
    }

    public String failure() {
        return failure;
    }

    public long packets() {
        return packets;
    }

    public long unknownPayloadType() {
        return unknownPayloadType;
    }

    public long lost() {
        return retiredLost + buffer.lost();
    }

    public long late() {
        return retiredLate + buffer.late();
    }

    public long duplicates() {
        return retiredDuplicates + buffer.duplicates();
    }

    public long framesDropped() {
        return retiredDroppedFrames + depacketizer.droppedFrames() + framesWithoutParameters;
    }

    public long corruptPackets() {
        return retiredCorrupt + depacketizer.corruptPackets();
    }

    /** How many times the track moved to another SSRC (simulcast layer). */
    public long ssrcChanges() {
        return ssrcChanges;
    }

    /** Closes the writer without finishing (the track is abandoned, e.g. its partition was revoked). */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
