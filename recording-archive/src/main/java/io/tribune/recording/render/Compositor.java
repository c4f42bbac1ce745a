package io.tribune.recording.render;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Renders a recording's stored track files into one composed MP4 (H.264 + AAC, moov first), with a thumbnail
 * sprite, its WebVTT and a poster frame, in two passes:
 * <ol>
 *   <li>every audio track is decoded once for its level per window, and {@link SpeakerTimeline} picks the active
 *       speaker per window; {@link RenderPlan} turns that and the screen shares into layout epochs;</li>
 *   <li>the video tracks are decoded along the timeline ({@link VideoSource}), each output frame is composed in
 *       YUV 4:2:0 on a {@link YuvCanvas} after {@link Layout} (pictures scaled by swscale, names on the tiles and a
 *       placeholder with the name when a participant has no picture, both drawn once with Java2D and blended), and
 *       encoded by FFmpegFrameRecorder without a colour conversion; the audio tracks are decoded again and mixed,
 *       each at its offset ({@link AudioSource}).</li>
 * </ol>
 * Output duration is the recording's span (first track start to last track end), at a constant frame rate.
 * Not thread-safe: one render per instance at a time.
 */
public final class Compositor {

    /**
     * How the composed file is made. {@code videoCodec} is an FFmpeg encoder name ({@code libopenh264} in the LGPL
     * build javacv ships; {@code libx264} with the {@code -gpl} build); {@code videoOptions} go to it as they are
     * (e.g. {@code preset} for libx264); {@code threads} 0 lets FFmpeg choose, else encoder and decoders use that
     * many.
     */
    public record Settings(int width, int height, int fps, String videoCodec, int videoBitrate, int gopFrames,
                           Map<String, String> videoOptions, int audioBitrate, int sampleRate, int channels,
                           int threads, long placeholderAfterMillis, long thumbnailIntervalMillis, int thumbnailWidth,
                           int thumbnailHeight, int thumbnailColumns, SpeakerTimeline.Settings speaker) {

        public static Settings defaults() {
            return new Settings(1280, 720, 25, "libopenh264", 2_000_000, 50, Map.of(), 128_000, 48_000, 2, 0,
                    2_000, 5_000, 160, 90, 10, SpeakerTimeline.Settings.DEFAULT);
        }

        public Settings {
            if (width < 64 || height < 64 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("width and height must be even and at least 64");
            }
            if (fps < 1 || fps > 60) {
                throw new IllegalArgumentException("fps must be 1..60");
            }
            videoOptions = Map.copyOf(videoOptions);
        }
    }

    /** Told how far the render is, 0..1; may throw to abandon it (e.g. the claim was lost). */
    @FunctionalInterface
    public interface Progress {
        void update(double fraction) throws Exception;
    }

    /** The files made, in {@code dir}. */
    public record Output(Path video, Path poster, Path thumbnails, Path thumbnailsVtt, long durationMillis,
                         RenderPlan plan) {
    }

    public static final String VIDEO_FILE = "recording.mp4";
    public static final String POSTER_FILE = "poster.jpg";
    public static final String THUMBNAILS_FILE = "thumbnails.jpg";
    public static final String THUMBNAILS_VTT_FILE = "thumbnails.vtt";

    private static final Color BACKGROUND = new Color(0x16, 0x18, 0x1c);
    private static final Color PLACEHOLDER = new Color(0x2c, 0x30, 0x38);
    private static final Color LABEL_BACKGROUND = new Color(0, 0, 0, 150);

    static {
        FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private final Settings settings;

    /** Throws {@link IllegalArgumentException} when FFmpeg has no encoder named {@code settings.videoCodec()}. */
    public Compositor(Settings settings) {
        // FFmpegFrameRecorder quietly falls back to the default H.264 encoder for an unknown name: refuse it here.
        if (org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name(settings.videoCodec()) == null) {
            throw new IllegalArgumentException("render.videoCodec: this FFmpeg build has no encoder named '"
                    + settings.videoCodec() + "' (javacv's LGPL build has libopenh264; libx264 needs the -gpl build)");
        }
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Plans the render of {@code tracks}: levels, speakers, epochs (pass 1). */
    public RenderPlan plan(List<RenderTrack> tracks) throws Exception {
        long span = tracks.stream().mapToLong(RenderTrack::endMillis).max().orElse(0);
        int window = settings.speaker().windowMillis();
        int windows = (int) ((span + window - 1) / window);
        Map<String, double[]> levels = levels(tracks, windows, window);
        java.util.Set<String> owners = new java.util.LinkedHashSet<>();
        tracks.stream().sorted(java.util.Comparator.comparingLong(RenderTrack::startMillis))
                .forEach(t -> owners.add(t.owner()));
        List<String> participants = new ArrayList<>(owners);
        String[] speakers = SpeakerTimeline.choose(participants, levels, windows, settings.speaker());
        return RenderPlan.of(tracks, speakers, window);
    }

    /** Each participant's audio level (dBFS) per window: the loudest of their audio tracks. */
    private Map<String, double[]> levels(List<RenderTrack> tracks, int windows, int windowMillis) throws Exception {
        Map<String, double[]> levels = new HashMap<>();
        for (RenderTrack track : tracks) {
            if (!track.isAudio()) {
                continue;
            }
            double[] sum = new double[windows];
            long[] count = new long[windows];
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(track.file().toFile())) {
                grabber.setSampleMode(FrameGrabber.SampleMode.SHORT);
                grabber.setSampleRate(settings.sampleRate());
                grabber.setAudioChannels(1);
                grabber.start();
                Frame frame;
                while ((frame = grabber.grabSamples()) != null) {
                    if (frame.samples == null) {
                        continue;
                    }
                    ShortBuffer samples = ((ShortBuffer) frame.samples[0]).duplicate();
                    long startMicros = track.startMillis() * 1000 + frame.timestamp;
                    int n = samples.remaining();
                    for (int i = 0; i < n; i++) {
                        long at = (startMicros + (long) i * 1_000_000 / settings.sampleRate()) / 1000 / windowMillis;
                        if (at >= 0 && at < windows) {
                            double v = samples.get(i) / 32768.0;
                            sum[(int) at] += v * v;
                            count[(int) at]++;
                        }
                    }
                }
            }
            double[] db = levels.computeIfAbsent(track.owner(), k -> filled(windows));
            for (int w = 0; w < windows; w++) {
                if (count[w] > 0) {
                    double level = 10 * Math.log10(Math.max(sum[w] / count[w], 1e-12));
                    db[w] = Math.max(db[w], level);
                }
            }
        }
        return levels;
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, SpeakerTimeline.SILENCE_DB);
        return a;
    }

    /** Renders the composed file, poster, sprite and WebVTT into {@code dir} (pass 2). */
    public Output render(RenderPlan plan, Path dir, Progress progress) throws Exception {
        Files.createDirectories(dir);
        Path video = dir.resolve(VIDEO_FILE);
        Files.deleteIfExists(video);
        int width = settings.width();
        int height = settings.height();
        int fps = settings.fps();
        long span = plan.spanMillis();
        long frames = Math.max(1, (span * fps + 999) / 1000);
        long totalSamples = span * settings.sampleRate() / 1000;

        Map<String, String> names = new HashMap<>();
        plan.participants().forEach(p -> names.put(p.id(), p.name()));
        List<VideoSource> videos = new ArrayList<>();
        List<AudioSource> audios = new ArrayList<>();
        YuvCanvas canvas = new YuvCanvas(width, height);
        Map<String, YuvCanvas.Overlay> overlays = new HashMap<>();
        Thumbnails thumbnails = new Thumbnails(span, settings.thumbnailIntervalMillis(), settings.thumbnailWidth(),
                settings.thumbnailHeight(), settings.thumbnailColumns());
        long posterAt = Math.min(span / 2, 5_000);
        BufferedImage poster = null;
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(video.toFile(), width, height, settings.channels());
        try {
            for (RenderTrack track : plan.tracks()) {
                if (track.isAudio()) {
                    audios.add(new AudioSource(track, settings.sampleRate(), settings.channels()));
                } else {
                    videos.add(new VideoSource(track, settings.threads()));
                }
            }
            configure(recorder);
            recorder.start();
            Frame out = yuvFrame(width, height);
            ByteBuffer outBuffer = (ByteBuffer) out.image[0];
            int epochIndex = 0;
            List<Layout.Tile> tiles = null;
            long samplesDone = 0;
            int[] mix = new int[(settings.sampleRate() / fps + 2) * settings.channels()];
            int lastPercent = -1;
            for (long i = 0; i < frames; i++) {
                long t = i * 1000 / fps;
                while (epochIndex < plan.epochs().size() - 1 && plan.epochs().get(epochIndex).endMillis() <= t) {
                    epochIndex++;
                    tiles = null;
                }
                RenderPlan.Epoch epoch = plan.epochs().isEmpty() ? null : plan.epochs().get(epochIndex);
                if (tiles == null) {
                    tiles = Layout.tiles(width, height, plan.participantIds(), epoch == null ? null : epoch.speaker(),
                            epoch == null || epoch.screen() == null ? null : epoch.screen().owner());
                }
                for (VideoSource source : videos) {
                    source.advance(t);
                }
                canvas.fill(BACKGROUND.getRGB());
                for (Layout.Tile tile : tiles) {
                    drawTile(canvas, overlays, tile, pick(tile, epoch, videos, t),
                            names.getOrDefault(tile.participantId(), tile.participantId()));
                }
                canvas.copyTo(outBuffer);
                recorder.record(out, AV_PIX_FMT_YUV420P);

                long samplesTo = Math.min(totalSamples, (i + 1) * settings.sampleRate() / fps);
                if (samplesTo > samplesDone) {
                    int n = (int) (samplesTo - samplesDone);
                    java.util.Arrays.fill(mix, 0, n * settings.channels(), 0);
                    for (AudioSource source : audios) {
                        source.mixInto(mix, samplesDone, samplesTo);
                    }
                    ShortBuffer pcm = ShortBuffer.allocate(n * settings.channels());
                    for (int s = 0; s < n * settings.channels(); s++) {
                        pcm.put((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mix[s])));
                    }
                    pcm.flip();
                    recorder.recordSamples(settings.sampleRate(), settings.channels(), pcm);
                    samplesDone = samplesTo;
                }
                if (thumbnails.due(t)) {
                    thumbnails.take(canvas.toImage());
                }
                if (poster == null && t >= posterAt) {
                    poster = canvas.toImage();
                }
                int percent = (int) (i * 100 / frames);
                if (percent != lastPercent) {
                    lastPercent = percent;
                    progress.update(i / (double) frames);
                }
            }
            recorder.stop();
        } finally {
            try {
                recorder.release();
            } catch (Exception e) {
                // already failing or stopped
            }
            videos.forEach(VideoSource::close);
            audios.forEach(AudioSource::close);
        }
        Path posterFile = dir.resolve(POSTER_FILE);
        Thumbnails.writeJpeg(poster == null ? canvas.toImage() : poster, posterFile);
        Path sprite = dir.resolve(THUMBNAILS_FILE);
        Path vtt = dir.resolve(THUMBNAILS_VTT_FILE);
        thumbnails.write(sprite, vtt, THUMBNAILS_FILE);
        progress.update(1.0);
        return new Output(video, posterFile, sprite, vtt, frames * 1000 / fps, plan);
    }

    /** A frame whose one buffer holds a YUV420P picture, planes one after the other (FFmpeg's alignment 1). */
    private static Frame yuvFrame(int width, int height) {
        Frame frame = new Frame();
        frame.imageWidth = width;
        frame.imageHeight = height;
        frame.imageDepth = Frame.DEPTH_UBYTE;
        frame.imageChannels = 1;
        frame.imageStride = width;
        frame.image = new java.nio.Buffer[] {ByteBuffer.allocateDirect(width * height * 3 / 2)};
        return frame;
    }

    /** Encoder settings, the same as {@link #ffmpegOutputArguments()} gives the ffmpeg CLI. */
    private void configure(FFmpegFrameRecorder recorder) {
        recorder.setFormat("mp4");
        recorder.setOption("movflags", "+faststart");
        recorder.setVideoCodecName(settings.videoCodec());
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(settings.fps());
        recorder.setGopSize(settings.gopFrames());
        recorder.setVideoBitrate(settings.videoBitrate());
        settings.videoOptions().forEach(recorder::setVideoOption);
        if (settings.threads() > 0) {
            recorder.setVideoOption("threads", Integer.toString(settings.threads()));
        }
        recorder.setAudioCodec(AV_CODEC_ID_AAC);
        recorder.setAudioBitrate(settings.audioBitrate());
        recorder.setSampleRate(settings.sampleRate());
        recorder.setAudioChannels(settings.channels());
    }

    /** The ffmpeg CLI's output options for the same encoder and settings (for {@code bench recording}). */
    public List<String> ffmpegOutputArguments() {
        List<String> args = new ArrayList<>(List.of("-c:v", settings.videoCodec(), "-pix_fmt", "yuv420p",
                "-r", Integer.toString(settings.fps()), "-g", Integer.toString(settings.gopFrames()),
                "-b:v", Integer.toString(settings.videoBitrate())));
        settings.videoOptions().forEach((k, v) -> args.addAll(List.of("-" + k, v)));
        if (settings.threads() > 0) {
            args.addAll(List.of("-threads", Integer.toString(settings.threads())));
        }
        args.addAll(List.of("-c:a", "aac", "-b:a", Integer.toString(settings.audioBitrate()), "-ar",
                Integer.toString(settings.sampleRate()), "-ac", Integer.toString(settings.channels()),
                "-movflags", "+faststart", "-f", "mp4"));
        return args;
    }

    /** The picture for a tile at {@code t}: the screen share, or the participant's camera that has one; or null. */
    private VideoSource pick(Layout.Tile tile, RenderPlan.Epoch epoch, List<VideoSource> videos, long t) {
        VideoSource found = null;
        for (VideoSource source : videos) {
            if (tile.screen()) {
                if (epoch != null && source.track == epoch.screen()) {
                    return source.showing(t, Long.MAX_VALUE / 4) ? source : null;
                }
            } else if (source.track.isCamera() && source.track.owner().equals(tile.participantId())
                    && source.showing(t, settings.placeholderAfterMillis())) {
                found = source;
            }
        }
        return found;
    }

    private void drawTile(YuvCanvas canvas, Map<String, YuvCanvas.Overlay> overlays, Layout.Tile tile,
                          VideoSource source, String name) {
        if (source == null || source.width() == 0) {
            canvas.blend(overlays.computeIfAbsent("placeholder:" + tile + name, k -> placeholder(tile, name)),
                    tile.x(), tile.y());
            return;
        }
        Placement place = place(tile, source.width(), source.height());
        if (tile.fit() == Layout.Fit.FIT) {
            canvas.fillRect(tile.x(), tile.y(), tile.width(), tile.height(), Color.BLACK.getRGB());
        }
        canvas.blit(source.scaled(place.scaledWidth(), place.scaledHeight()), place.cropX(), place.cropY(),
                place.width(), place.height(), place.x(), place.y());
        String text = tile.screen() ? name + " (screen)" : name;
        YuvCanvas.Overlay label = overlays.computeIfAbsent("label:" + tile + text, k -> label(tile, text));
        int pad = labelFontSize(tile) / 3;
        canvas.blend(label, (tile.x() + pad) & ~1, (tile.y() + tile.height() - label.image.height() - pad) & ~1);
    }

    /** A participant without a picture: their name, large, on a dark tile (with the label for a screen share). */
    private static YuvCanvas.Overlay placeholder(Layout.Tile tile, String name) {
        BufferedImage image = new BufferedImage(tile.width(), tile.height(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(PLACEHOLDER);
        g.fillRect(0, 0, tile.width(), tile.height());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, Math.min(48, tile.height() / 7))));
        FontMetrics metrics = g.getFontMetrics();
        String text = fit(tile.screen() ? name + " (screen)" : name, metrics, tile.width() - 16);
        g.setColor(Color.WHITE);
        g.drawString(text, (tile.width() - metrics.stringWidth(text)) / 2,
                (tile.height() + metrics.getAscent() - metrics.getDescent()) / 2);
        g.dispose();
        return new YuvCanvas.Overlay(image);
    }

    /** A name label: white text on a translucent dark rounded box, sized for the tile. */
    private static YuvCanvas.Overlay label(Layout.Tile tile, String text) {
        int size = labelFontSize(tile);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, size);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        Graphics2D probe = scratch.createGraphics();
        probe.setFont(font);
        FontMetrics metrics = probe.getFontMetrics();
        String shown = fit(text, metrics, tile.width() - 24);
        int pad = size / 3;
        int w = (metrics.stringWidth(shown) + 2 * pad + 1) & ~1;
        int h = (metrics.getHeight() + pad + 1) & ~1;
        probe.dispose();
        BufferedImage image = new BufferedImage(Math.max(2, w), Math.max(2, h), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(LABEL_BACKGROUND);
        g.fillRoundRect(0, 0, w, h, pad * 2, pad * 2);
        g.setColor(Color.WHITE);
        g.drawString(shown, pad, pad / 2 + metrics.getAscent());
        g.dispose();
        return new YuvCanvas.Overlay(image);
    }

    /**
     * Where a picture of {@code sourceWidth} x {@code sourceHeight} goes in a tile: scaled to {@code scaledWidth} x
     * {@code scaledHeight} (even), the part {@code width} x {@code height} at ({@code cropX}, {@code cropY}) of it
     * drawn at ({@code x}, {@code y}) on the canvas: the whole picture centred ({@code FIT}), or its centre filling
     * the tile ({@code COVER}).
     */
    public record Placement(int scaledWidth, int scaledHeight, int cropX, int cropY, int width, int height, int x,
                            int y) {
    }

    public static Placement place(Layout.Tile tile, int sourceWidth, int sourceHeight) {
        double scale = tile.fit() == Layout.Fit.COVER
                ? Math.max(tile.width() / (double) sourceWidth, tile.height() / (double) sourceHeight)
                : Math.min(tile.width() / (double) sourceWidth, tile.height() / (double) sourceHeight);
        int w = Math.max(2, (int) Math.round(sourceWidth * scale) & ~1);
        int h = Math.max(2, (int) Math.round(sourceHeight * scale) & ~1);
        int cw = Math.min(w, tile.width());
        int ch = Math.min(h, tile.height());
        // Even offsets: chroma is subsampled 2x2.
        return new Placement(w, h, (w - cw) / 2 & ~1, (h - ch) / 2 & ~1, cw, ch,
                tile.x() + ((tile.width() - cw) / 2 & ~1), tile.y() + ((tile.height() - ch) / 2 & ~1));
    }

    /** The label's font size, padding and box on a tile, for {@code bench recording}'s drawtext too. */
    public static int labelFontSize(Layout.Tile tile) {
        return Math.max(11, Math.min(22, tile.height() / 12));
    }

    private static String fit(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (cut.length() > 1 && metrics.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }
}
