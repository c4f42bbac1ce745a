package io.tribune.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.tribune.recording.render.Compositor;
import io.tribune.recording.render.SpeakerTimeline;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code render:} section: the composed MP4, its thumbnails and poster, and how renders are run. */
public class RenderConfiguration {

    /** Render the composed file when a recording completes; false: recording.ready lists the track files only. */
    private boolean enabled = true;

    /** Renders at once per process (each uses the encoder's threads, see {@link #threads}). */
    @Min(1)
    @Max(64)
    private int concurrency = 1;

    /** Render attempts per recording; then recording.ready goes out with the track files only. */
    @Min(1)
    @Max(20)
    private int maxAttempts = 3;

    /** Wait after a failed attempt, doubled each time. */
    @NotNull
    private Duration retryBackoff = Duration.seconds(30);

    /** A render whose process stopped renewing its claim for this long is taken over (after a crash). */
    @NotNull
    @MinDuration(value = 2, unit = TimeUnit.SECONDS)
    private Duration claimTimeout = Duration.seconds(60);

    @Min(64)
    @Max(3840)
    private int width = 1280;

    @Min(64)
    @Max(2160)
    private int height = 720;

    @Min(1)
    @Max(60)
    private int fps = 25;

    /** FFmpeg encoder: libopenh264 in javacv's LGPL build; libx264 needs the -gpl build of org.bytedeco:ffmpeg. */
    @NotEmpty
    private String videoCodec = "libopenh264";

    @Min(100)
    @Max(50_000)
    private int videoBitrateKbps = 2000;

    /** Options for the encoder as FFmpeg names them (e.g. {@code preset: veryfast} for libx264). */
    @NotNull
    private Map<String, String> videoOptions = new LinkedHashMap<>();

    @NotNull
    private Duration keyframeInterval = Duration.seconds(2);

    @Min(32)
    @Max(512)
    private int audioBitrateKbps = 128;

    /** Encoder and decoder threads per render; 0: FFmpeg decides (about one per core). */
    @Min(0)
    @Max(64)
    private int threads = 0;

    /** A camera that sent no picture for this long (muted) shows the name placeholder. */
    @NotNull
    private Duration placeholderAfter = Duration.seconds(2);

    /** One scrub-bar thumbnail per this much time. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration thumbnailInterval = Duration.seconds(5);

    @Min(16)
    @Max(640)
    private int thumbnailWidth = 160;

    @Min(16)
    @Max(360)
    private int thumbnailHeight = 90;

    @Min(1)
    @Max(100)
    private int thumbnailColumns = 10;

    /** The compositor's settings from this section. */
    public Compositor.Settings compositorSettings() {
        return new Compositor.Settings(width & ~1, height & ~1, fps, videoCodec, videoBitrateKbps * 1000,
                (int) Math.max(1, keyframeInterval.toMilliseconds() * fps / 1000), videoOptions,
                audioBitrateKbps * 1000, 48_000, 2, threads, placeholderAfter.toMilliseconds(),
                thumbnailInterval.toMilliseconds(), thumbnailWidth, thumbnailHeight, thumbnailColumns,
                SpeakerTimeline.Settings.DEFAULT);
    }

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public int getConcurrency() {
        return concurrency;
    }

    @JsonProperty
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    @JsonProperty
    public int getMaxAttempts() {
        return maxAttempts;
    }

    @JsonProperty
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @JsonProperty
    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    @JsonProperty
    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    @JsonProperty
    public Duration getClaimTimeout() {
        return claimTimeout;
    }

    @JsonProperty
    public void setClaimTimeout(Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
    }

    @JsonProperty
    public int getWidth() {
        return width;
    }

    @JsonProperty
    public void setWidth(int width) {
        this.width = width;
    }

    @JsonProperty
    public int getHeight() {
        return height;
    }

    @JsonProperty
    public void setHeight(int height) {
        this.height = height;
    }

    @JsonProperty
    public int getFps() {
        return fps;
    }

    @JsonProperty
    public void setFps(int fps) {
        this.fps = fps;
    }

    @JsonProperty
    public String getVideoCodec() {
        return videoCodec;
    }

    @JsonProperty
    public void setVideoCodec(String videoCodec) {
        this.videoCodec = videoCodec;
    }

    @JsonProperty
    public int getVideoBitrateKbps() {
        return videoBitrateKbps;
    }

    @JsonProperty
    public void setVideoBitrateKbps(int videoBitrateKbps) {
        this.videoBitrateKbps = videoBitrateKbps;
    }

    @JsonProperty
    public Map<String, String> getVideoOptions() {
        return videoOptions;
    }

    @JsonProperty
    public void setVideoOptions(Map<String, String> videoOptions) {
        this.videoOptions = videoOptions;
    }

    @JsonProperty
    public Duration getKeyframeInterval() {
        return keyframeInterval;
    }

    @JsonProperty
    public void setKeyframeInterval(Duration keyframeInterval) {
        this.keyframeInterval = keyframeInterval;
    }

    @JsonProperty
    public int getAudioBitrateKbps() {
        return audioBitrateKbps;
    }

    @JsonProperty
    public void setAudioBitrateKbps(int audioBitrateKbps) {
        this.audioBitrateKbps = audioBitrateKbps;
    }

    @JsonProperty
    public int getThreads() {
        return threads;
    }

    @JsonProperty
    public void setThreads(int threads) {
        this.threads = threads;
    }

    @JsonProperty
    public Duration getPlaceholderAfter() {
        return placeholderAfter;
    }

    @JsonProperty
    public void setPlaceholderAfter(Duration placeholderAfter) {
        this.placeholderAfter = placeholderAfter;
    }

    @JsonProperty
    public Duration getThumbnailInterval() {
        return thumbnailInterval;
    }

    @JsonProperty
    public void setThumbnailInterval(Duration thumbnailInterval) {
        this.thumbnailInterval = thumbnailInterval;
    }

    @JsonProperty
    public int getThumbnailWidth() {
        return thumbnailWidth;
    }

    @JsonProperty
    public void setThumbnailWidth(int thumbnailWidth) {
        this.thumbnailWidth = thumbnailWidth;
    }

    @JsonProperty
    public int getThumbnailHeight() {
        return thumbnailHeight;
    }

    @JsonProperty
    public void setThumbnailHeight(int thumbnailHeight) {
        this.thumbnailHeight = thumbnailHeight;
    }

    @JsonProperty
    public int getThumbnailColumns() {
        return thumbnailColumns;
    }

    @JsonProperty
    public void setThumbnailColumns(int thumbnailColumns) {
        this.thumbnailColumns = thumbnailColumns;
    }
}
