package io.tribune.recording.mux;

import java.util.Locale;

/** The codecs the archive stores, with the container each goes into and the object name's extension. */
public enum TrackCodec {
    VP8("webm", "webm", "video/webm", true),
    OPUS("webm", "webm", "audio/webm", false),
    H264("matroska", "mkv", "video/x-matroska", true);

    private final String format;
    private final String extension;
    private final String contentType;
    private final boolean video;

    TrackCodec(String format, String extension, String contentType, boolean video) {
        this.format = format;
        this.extension = extension;
        this.contentType = contentType;
        this.video = video;
    }

    /** The codec named in track metadata ({@code vp8}, {@code VP8}, {@code h264}, {@code opus}); null if unknown. */
    public static TrackCodec fromName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "vp8", "video/vp8" -> VP8;
            case "h264", "h.264", "avc", "video/h264" -> H264;
            case "opus", "audio/opus" -> OPUS;
            default -> null;
        };
    }

    /** FFmpeg's muxer name. */
    public String format() {
        return format;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    public boolean isVideo() {
        return video;
    }
}
