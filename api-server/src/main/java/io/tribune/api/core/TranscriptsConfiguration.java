package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The {@code transcripts} section: the consumer that stores transcription-worker's final captions
 * ({@code tribune.captions}) and the chapter rules.
 */
public class TranscriptsConfiguration {

    /** Whether this instance stores captions (every instance may; the consumer group shares the partitions). */
    private boolean consume = true;

    /** The consumer group; records it cannot store go to {@code tribune.dlq.<group>}. */
    @NotNull
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}")
    private String consumerGroup = "api-server-transcripts";

    /** A silence at least this long starts a new chapter (once the current one lasted {@code minimumChapter}). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration chapterPause = Duration.seconds(5);

    /** The shortest chapter; a change of speaker starts a new one only after twice this. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration minimumChapter = Duration.seconds(60);

    @JsonProperty
    public boolean isConsume() {
        return consume;
    }

    @JsonProperty
    public void setConsume(boolean consume) {
        this.consume = consume;
    }

    @JsonProperty
    public String getConsumerGroup() {
        return consumerGroup;
    }

    @JsonProperty
    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    @JsonProperty
    public Duration getChapterPause() {
        return chapterPause;
    }

    @JsonProperty
    public void setChapterPause(Duration chapterPause) {
        this.chapterPause = chapterPause;
    }

    @JsonProperty
    public Duration getMinimumChapter() {
        return minimumChapter;
    }

    @JsonProperty
    public void setMinimumChapter(Duration minimumChapter) {
        this.minimumChapter = minimumChapter;
    }
}
