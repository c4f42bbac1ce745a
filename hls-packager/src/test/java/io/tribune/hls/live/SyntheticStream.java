package io.tribune.hls.live;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.TrackKind;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Ingest frames for tests: two 30 fps video rungs with a keyframe every 2 s and 48 kHz AAC, in time order. */
public final class SyntheticStream {

    static final byte[] AVCC = HexFormat.of().parseHex("01640014ffe1001967640014acd94141fb0110000003001000000303c0"
            + "f14299600001000668ebe3cb22c0");
    static final long CAPTURE_BASE_MICROS = 1_795_000_000_000_000L;

    private SyntheticStream() {
    }

    public static List<IngestFrame> tracks() {
        return List.of(
                new IngestFrame.TrackAnnounce(0, TrackKind.VIDEO, "avc1", 90_000, "360p", 640, 360, 800_000, 30_000,
                        AVCC),
                new IngestFrame.TrackAnnounce(1, TrackKind.VIDEO, "avc1", 90_000, "180p", 320, 180, 300_000, 30_000,
                        AVCC),
                new IngestFrame.TrackAnnounce(2, TrackKind.AUDIO, "mp4a", 48_000, "main", 0, 0, 64_000, 0,
                        new byte[] {0x11, (byte) 0x90}));
    }

    /** Samples for [fromSeconds, toSeconds) of media time. */
    public static List<IngestFrame> samples(double fromSeconds, double toSeconds) {
        List<IngestFrame> frames = new ArrayList<>();
        long firstFrame = Math.round(fromSeconds * 30);
        long lastFrame = Math.round(toSeconds * 30);
        long audio = (long) Math.ceil(fromSeconds * 48_000 / 1024);
        for (long f = firstFrame; f < lastFrame; f++) {
            long dts = f * 3000;
            while (audio * 1024 * 90_000 / 48_000 <= dts) {
                frames.add(new IngestFrame.Sample(2, true, audio * 1024, audio * 1024, 1024,
                        IngestFrame.Sample.NO_CAPTURE_TIME, new byte[] {0x21, 0x10}));
                audio++;
            }
            for (int track = 0; track < 2; track++) {
                frames.add(new IngestFrame.Sample(track, f % 60 == 0, dts, dts, 3000,
                        CAPTURE_BASE_MICROS + f * 1_000_000 / 30, new byte[] {0, 0, 0, 1, (byte) (f % 60 == 0 ? 0x65
                        : 0x41)}));
            }
        }
        // Audio a little past the end, as a live encoder would have sent by then.
        for (int i = 0; i < 2; i++, audio++) {
            frames.add(new IngestFrame.Sample(2, true, audio * 1024, audio * 1024, 1024,
                    IngestFrame.Sample.NO_CAPTURE_TIME, new byte[] {0x21, 0x10}));
        }
        return frames;
    }
}
