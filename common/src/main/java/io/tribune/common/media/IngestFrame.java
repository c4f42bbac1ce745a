package io.tribune.common.media;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One frame of the media ingest protocol (version {@value IngestProtocol#VERSION}): what a transcoder sends a
 * packager. See {@link IngestProtocol} for the wire format. Frames are immutable values; {@code byte[]} fields are
 * not copied, so the creator must not change them afterwards.
 */
public sealed interface IngestFrame {

    /** Names that end up in URLs and object keys: event ids and rendition names. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /**
     * First frame of every connection.
     *
     * @param version the sender's protocol version; the receiver refuses one it does not speak
     * @param eventId which event (town hall) this stream feeds; {@link #NAME} syntax
     * @param key     shared ingest secret, may be empty where the listener needs none
     */
    record Hello(int version, String eventId, String key) implements IngestFrame {
        public Hello {
            requireName(eventId, "eventId");
            Objects.requireNonNull(key, "key");
            if (version < 1 || version > 0xFFFF) {
                throw new IllegalArgumentException("version out of range: " + version);
            }
        }
    }

    /**
     * Declares a track before its first sample. Announcing a track id again replaces its description (e.g. a new
     * avcC after an encoder restart, usually right after a {@link Discontinuity}).
     *
     * @param trackId     0-255, chosen by the sender
     * @param kind        video or audio
     * @param codec       the sample entry: {@code avc1} (codecConfig = AVCDecoderConfigurationRecord) or
     *                    {@code mp4a} (codecConfig = AudioSpecificConfig)
     * @param timescale   ticks per second of this track's dts, pts and duration (90000 for video, the sample rate
     *                    for AAC)
     * @param name        the rendition (rung) name of a video track, e.g. {@code 360p}; for audio, e.g. {@code main}
     * @param width       pixels (video), 0 for audio
     * @param height      pixels (video), 0 for audio
     * @param bitrate     target bits per second of this track's encoder
     * @param frameRateMilli frames per 1000 s (30000 = 30 fps), 0 if unknown or audio
     * @param codecConfig the decoder configuration record, at most 65535 bytes
     */
    record TrackAnnounce(int trackId, TrackKind kind, String codec, long timescale, String name, int width,
                         int height, long bitrate, int frameRateMilli, byte[] codecConfig) implements IngestFrame {
        public TrackAnnounce {
            requireTrackId(trackId);
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(codec, "codec");
            if (codec.length() != 4) {
                throw new IllegalArgumentException("codec must be a four-character code: " + codec);
            }
            requireName(name, "name");
            if (timescale <= 0 || timescale > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("timescale out of range: " + timescale);
            }
            if (width < 0 || width > 0xFFFF || height < 0 || height > 0xFFFF) {
                throw new IllegalArgumentException("size out of range: " + width + "x" + height);
            }
            if (kind == TrackKind.VIDEO && (width == 0 || height == 0)) {
                throw new IllegalArgumentException("a video track needs a width and a height");
            }
            if (bitrate < 0 || bitrate > 0xFFFFFFFFL || frameRateMilli < 0) {
                throw new IllegalArgumentException("bitrate or frame rate out of range");
            }
            Objects.requireNonNull(codecConfig, "codecConfig");
            if (codecConfig.length > 0xFFFF) {
                throw new IllegalArgumentException("codecConfig longer than 65535 bytes");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TrackAnnounce t && trackId == t.trackId && kind == t.kind && codec.equals(t.codec)
                    && timescale == t.timescale && name.equals(t.name) && width == t.width && height == t.height
                    && bitrate == t.bitrate && frameRateMilli == t.frameRateMilli
                    && Arrays.equals(codecConfig, t.codecConfig);
        }

        @Override
        public int hashCode() {
            return Objects.hash(trackId, kind, codec, timescale, name, width, height, bitrate, frameRateMilli)
                    * 31 + Arrays.hashCode(codecConfig);
        }

        @Override
        public String toString() {
            return "TrackAnnounce[" + trackId + " " + kind + " " + codec + " " + name + " " + width + "x" + height
                    + " " + bitrate + " bps, timescale " + timescale + ", config " + codecConfig.length + " B]";
        }
    }

    /**
     * One access unit (a video frame, an AAC frame), in decode order per track.
     *
     * @param trackId           an announced track
     * @param keyframe          a sync sample (IDR); every AAC frame is one
     * @param dts               decode time, in the track's timescale
     * @param pts               presentation time, in the track's timescale
     * @param duration          in the track's timescale; 0 if unknown (the packager then uses the next dts)
     * @param captureTimeMicros wall clock (Unix epoch, microseconds) when this sample was captured at the source,
     *                          or {@link #NO_CAPTURE_TIME}; it becomes EXT-X-PROGRAM-DATE-TIME
     * @param payload           the access unit: for H.264, NAL units with 4-byte big-endian lengths (as in avc1)
     */
    record Sample(int trackId, boolean keyframe, long dts, long pts, long duration, long captureTimeMicros,
                  byte[] payload) implements IngestFrame {

        public static final long NO_CAPTURE_TIME = Long.MIN_VALUE;

        public Sample {
            requireTrackId(trackId);
            if (duration < 0 || duration > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("duration out of range: " + duration);
            }
            Objects.requireNonNull(payload, "payload");
        }

        public boolean hasCaptureTime() {
            return captureTimeMicros != NO_CAPTURE_TIME;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && trackId == s.trackId && keyframe == s.keyframe && dts == s.dts
                    && pts == s.pts && duration == s.duration && captureTimeMicros == s.captureTimeMicros
                    && Arrays.equals(payload, s.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(trackId, keyframe, dts, pts, duration, captureTimeMicros) * 31
                    + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Sample[track " + trackId + (keyframe ? " key" : "") + " dts " + dts + " pts " + pts
                    + " dur " + duration + ", " + payload.length + " B]";
        }
    }

    /**
     * The timeline restarts: the samples after this one do not continue the earlier ones (encoder restart, new
     * source). The packager starts a new segment marked EXT-X-DISCONTINUITY. A new connection for the same event
     * implies one.
     */
    record Discontinuity() implements IngestFrame {
    }

    /** The event is over: the packager completes the last segment, ends the playlists and writes the VOD copy. */
    record End() implements IngestFrame {
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME.pattern() + ": " + value);
        }
    }

    private static void requireTrackId(int trackId) {
        if (trackId < 0 || trackId > 255) {
            throw new IllegalArgumentException("track id out of range: " + trackId);
        }
    }
}
