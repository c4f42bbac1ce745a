package io.tribune.transcription;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.tribune.transcription.core.TranscriberSettings;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The {@code captions:} section: the model and how tracks are transcribed (see the example YAML). */
public class CaptionsSection {

    /** A Vosk model directory (with {@code am/} and {@code conf/model.conf}); other languages: another model. */
    @NotBlank
    private String modelPath = "transcription-worker/target/vosk-model/assets/model-en-us";

    @Min(1)
    @Max(50)
    private int reorderPackets = 5;

    @DecimalMin("-90")
    @DecimalMax("0")
    private double vadThresholdDbfs = -45;

    @NotNull
    @MaxDuration(value = 2, unit = TimeUnit.SECONDS)
    private Duration preRoll = Duration.milliseconds(300);

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.SECONDS)
    private Duration endSilence = Duration.milliseconds(700);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 2, unit = TimeUnit.MINUTES)
    private Duration maxPhrase = Duration.seconds(15);

    @NotNull
    @MinDuration(value = 50, unit = TimeUnit.MILLISECONDS)
    private Duration partialInterval = Duration.milliseconds(300);

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration maxPartialDelay = Duration.seconds(2);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration trackIdleTimeout = Duration.seconds(30);

    @Min(1)
    @Max(10_000)
    private int maxOpenTracks = 200;

    public TranscriberSettings settings() {
        return new TranscriberSettings(reorderPackets, vadThresholdDbfs, java(preRoll), java(endSilence),
                java(maxPhrase), java(partialInterval), java(maxPartialDelay), java(trackIdleTimeout), maxOpenTracks);
    }

    private static java.time.Duration java(Duration d) {
        return java.time.Duration.ofMillis(d.toMilliseconds());
    }

    @JsonProperty
    public String getModelPath() {
        return modelPath;
    }

    @JsonProperty
    public void setModelPath(String modelPath) {
        this.modelPath = modelPath;
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
    public double getVadThresholdDbfs() {
        return vadThresholdDbfs;
    }

    @JsonProperty
    public void setVadThresholdDbfs(double vadThresholdDbfs) {
        this.vadThresholdDbfs = vadThresholdDbfs;
    }

    @JsonProperty
    public Duration getPreRoll() {
        return preRoll;
    }

    @JsonProperty
    public void setPreRoll(Duration preRoll) {
        this.preRoll = preRoll;
    }

    @JsonProperty
    public Duration getEndSilence() {
        return endSilence;
    }

    @JsonProperty
    public void setEndSilence(Duration endSilence) {
        this.endSilence = endSilence;
    }

    @JsonProperty
    public Duration getMaxPhrase() {
        return maxPhrase;
    }

    @JsonProperty
    public void setMaxPhrase(Duration maxPhrase) {
        this.maxPhrase = maxPhrase;
    }

    @JsonProperty
    public Duration getPartialInterval() {
        return partialInterval;
    }

    @JsonProperty
    public void setPartialInterval(Duration partialInterval) {
        this.partialInterval = partialInterval;
    }

    @JsonProperty
    public Duration getMaxPartialDelay() {
        return maxPartialDelay;
    }

    @JsonProperty
    public void setMaxPartialDelay(Duration maxPartialDelay) {
        this.maxPartialDelay = maxPartialDelay;
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
    public int getMaxOpenTracks() {
        return maxOpenTracks;
    }

    @JsonProperty
    public void setMaxOpenTracks(int maxOpenTracks) {
        this.maxOpenTracks = maxOpenTracks;
    }
}
