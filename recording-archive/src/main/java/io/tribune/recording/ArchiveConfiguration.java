package io.tribune.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The {@code archive:} section: how tracks are assembled and when they are closed. */
public class ArchiveConfiguration {

    /** Local directory for track files being written; each is deleted once stored. Empty: under java.io.tmpdir. */
    @NotNull
    private String workDir = "";

    /** A track without a packet for this long is closed and stored as if it had ended. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration trackIdleTimeout = Duration.seconds(30);

    /**
     * After recording.stopped, how long to wait for track events still on their way (the media topics are read
     * independently of tribune.recordings) before the recording is completed.
     */
    @NotNull
    private Duration completionGrace = Duration.seconds(5);

    /** Packets held per track waiting for a missing one before it is given up as lost. */
    @Min(1)
    @Max(10_000)
    private int reorderPackets = 128;

    /** A frame larger than this is dropped and counted. */
    @NotNull
    private DataSize maxFrameSize = DataSize.mebibytes(4);

    @JsonProperty
    public String getWorkDir() {
        return workDir;
    }

    @JsonProperty
    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    @JsonProperty
    public Duration getTrackIdleTimeout() {
        return trackIdleTimeout;
    }

    @JsonProperty
    public void setTrackIdleTimeout(Duration trackIdleTimeout) {
        this.trackIdleTimeout = trackIdleTimeout;
    }

    @JsonProperty
    public Duration getCompletionGrace() {
        return completionGrace;
    }

    @JsonProperty
    public void setCompletionGrace(Duration completionGrace) {
        this.completionGrace = completionGrace;
    }

    @JsonProperty
    public int getReorderPackets() {
        return reorderPackets;
    }

    @JsonProperty
    public void setReorderPackets(int reorderPackets) {
        this.reorderPackets = reorderPackets;
    }

    @JsonProperty
    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    @JsonProperty
    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** {@link #workDir}, or {@code <java.io.tmpdir>/tribune-recording-archive} when it is empty. */
    public java.nio.file.Path workPath() {
        return workDir.isBlank() ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "tribune-recording-archive") : java.nio.file.Path.of(workDir);
    }
}
