package io.tribune.hls.live;

import io.tribune.hls.cmaf.TrackFormat;
import java.util.List;
import java.util.Locale;

/**
 * Renders the multivariant (master) playlist: one EXT-X-STREAM-INF per video rung, highest first, with BANDWIDTH,
 * AVERAGE-BANDWIDTH, CODECS (video and the muxed audio), RESOLUTION and FRAME-RATE, and a WebVTT SUBTITLES group.
 * Stateless.
 */
final class MultivariantPlaylist {

    /** One rung: its video, the muxed audio (or null) and the largest segment bitrate seen (0 if none yet). */
    record Variant(TrackFormat video, TrackFormat audio, double measuredPeakBitsPerSecond) {
    }

    private MultivariantPlaylist() {
    }

    static String render(List<Variant> variants, String subtitlesName, String language) {
        StringBuilder out = new StringBuilder(1024);
        out.append("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        out.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"").append(language)
                .append("\",LANGUAGE=\"").append(language).append("\",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI=\"")
                .append(subtitlesName).append("/index.m3u8\"\n");
        for (Variant variant : variants) {
            TrackFormat video = variant.video();
            long announced = video.bitrate() + (variant.audio() == null ? 0 : variant.audio().bitrate());
            // BANDWIDTH is the peak segment bitrate (rfc8216bis 4.4.6.2): the encoder's target until segments show
            // more.
            long peak = Math.max(announced, (long) Math.ceil(variant.measuredPeakBitsPerSecond()));
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(peak).append(",AVERAGE-BANDWIDTH=").append(announced)
                    .append(",CODECS=\"").append(video.codecsAttribute());
            if (variant.audio() != null) {
                out.append(',').append(variant.audio().codecsAttribute());
            }
            out.append("\",RESOLUTION=").append(video.width()).append('x').append(video.height());
            if (video.frameRateMilli() > 0) {
                out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", video.frameRateMilli() / 1000.0));
            }
            out.append(",SUBTITLES=\"subs\"\n").append(video.name()).append("/index.m3u8\n");
        }
        return out.toString();
    }
}
