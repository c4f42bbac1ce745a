package io.tribune.hls.cmaf;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.TrackKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What an init segment and a playlist need to know about a track: codec, its configuration record, timescale,
 * size. Built from an ingest {@link IngestFrame.TrackAnnounce}. Immutable.
 */
public final class TrackFormat {

    private static final int[] AAC_SAMPLE_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000,
        12000, 11025, 8000, 7350};

    private final TrackKind kind;
    private final String codec;
    private final long timescale;
    private final String name;
    private final int width;
    private final int height;
    private final long bitrate;
    private final int frameRateMilli;
    private final byte[] codecConfig;
    private final String codecsAttribute;
    private final int channels;

    private TrackFormat(IngestFrame.TrackAnnounce track) {
        this.kind = track.kind();
        this.codec = track.codec();
        this.timescale = track.timescale();
        this.name = track.name();
        this.width = track.width();
        this.height = track.height();
        this.bitrate = track.bitrate();
        this.frameRateMilli = track.frameRateMilli();
        this.codecConfig = track.codecConfig().clone();
        if (kind == TrackKind.VIDEO) {
            if (!codec.equals("avc1") || codecConfig.length < 7 || codecConfig[0] != 1) {
                throw new IllegalArgumentException("video must be avc1 with an AVCDecoderConfigurationRecord");
            }
            // RFC 6381: avc1.PPCCLL from the record's profile, constraint flags and level bytes.
            codecsAttribute = String.format(Locale.ROOT, "avc1.%02x%02x%02x", codecConfig[1] & 0xFF,
                    codecConfig[2] & 0xFF, codecConfig[3] & 0xFF);
            channels = 0;
        } else {
            if (!codec.equals("mp4a") || codecConfig.length < 2) {
                throw new IllegalArgumentException("audio must be mp4a with an AudioSpecificConfig");
            }
            int objectType = (codecConfig[0] & 0xFF) >>> 3;
            int rateIndex = ((codecConfig[0] & 0x07) << 1) | ((codecConfig[1] & 0xFF) >>> 7);
            channels = (codecConfig[1] >>> 3) & 0x0F;
            if (objectType == 0 || objectType == 31 || rateIndex >= AAC_SAMPLE_RATES.length || channels == 0) {
                throw new IllegalArgumentException("unsupported AudioSpecificConfig (object type " + objectType
                        + ", rate index " + rateIndex + ", channels " + channels + ")");
            }
            codecsAttribute = "mp4a.40." + objectType;
        }
    }

    public static TrackFormat of(IngestFrame.TrackAnnounce track) {
        return new TrackFormat(track);
    }

    public TrackKind kind() {
        return kind;
    }

    public String codec() {
        return codec;
    }

    public long timescale() {
        return timescale;
    }

    public String name() {
        return name;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Target bits per second, as announced. */
    public long bitrate() {
        return bitrate;
    }

    public int frameRateMilli() {
        return frameRateMilli;
    }

    public byte[] codecConfig() {
        return codecConfig.clone();
    }

    /** The RFC 6381 string for CODECS, e.g. {@code avc1.64001e} or {@code mp4a.40.2}. */
    public String codecsAttribute() {
        return codecsAttribute;
    }

    /** Audio channels from the AudioSpecificConfig; 0 for video. */
    public int channels() {
        return channels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackFormat t && kind == t.kind && codec.equals(t.codec) && timescale == t.timescale
                && name.equals(t.name) && width == t.width && height == t.height
                && Arrays.equals(codecConfig, t.codecConfig);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, codec, timescale, name, width, height) * 31 + Arrays.hashCode(codecConfig);
    }

    @Override
    public String toString() {
        return kind + " " + codecsAttribute + " " + name + (width > 0 ? " " + width + "x" + height : "");
    }
}
