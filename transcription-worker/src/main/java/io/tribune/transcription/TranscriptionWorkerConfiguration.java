package io.tribune.transcription;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The transcription worker's configuration; every key is documented in
 * {@code transcription-worker/config/transcription-worker.example.yml}.
 */
public class TranscriptionWorkerConfiguration extends Configuration {

    @Valid
    @NotNull
    private KafkaSection kafka = new KafkaSection();

    @Valid
    @NotNull
    private CaptionsSection captions = new CaptionsSection();

    @Valid
    @NotNull
    private RecordingsSection recordings = new RecordingsSection();

    @JsonProperty
    public RecordingsSection getRecordings() {
        return recordings;
    }

    @JsonProperty
    public void setRecordings(RecordingsSection recordings) {
        this.recordings = recordings;
    }

    @JsonProperty
    public KafkaSection getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(KafkaSection kafka) {
        this.kafka = kafka;
    }

    @JsonProperty
    public CaptionsSection getCaptions() {
        return captions;
    }

    @JsonProperty
    public void setCaptions(CaptionsSection captions) {
        this.captions = captions;
    }
}
