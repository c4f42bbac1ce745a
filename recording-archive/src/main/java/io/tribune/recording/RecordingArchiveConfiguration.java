package io.tribune.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The recording archive's configuration; every key is documented in
 * {@code recording-archive/config/recording-archive.example.yml}.
 */
public class RecordingArchiveConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    /** Apply the archive's migrations (schema {@code recording_archive}) at start. */
    private boolean migrateOnStart = true;

    @Valid
    @NotNull
    private KafkaSection kafka = new KafkaSection();

    @Valid
    @NotNull
    private StorageConfiguration storage = new StorageConfiguration();

    @Valid
    @NotNull
    private ArchiveConfiguration archive = new ArchiveConfiguration();

    @Valid
    @NotNull
    private DeletionConfiguration deletion = new DeletionConfiguration();

    @JsonProperty
    public DeletionConfiguration getDeletion() {
        return deletion;
    }

    @JsonProperty
    public void setDeletion(DeletionConfiguration deletion) {
        this.deletion = deletion;
    }

    @JsonProperty
    public DataSourceFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DataSourceFactory database) {
        this.database = database;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
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
    public StorageConfiguration getStorage() {
        return storage;
    }

    @JsonProperty
    public void setStorage(StorageConfiguration storage) {
        this.storage = storage;
    }

    @Valid
    @NotNull
    private RenderConfiguration render = new RenderConfiguration();

    @JsonProperty
    public RenderConfiguration getRender() {
        return render;
    }

    @JsonProperty
    public void setRender(RenderConfiguration render) {
        this.render = render;
    }

    @JsonProperty
    public ArchiveConfiguration getArchive() {
        return archive;
    }

    @JsonProperty
    public void setArchive(ArchiveConfiguration archive) {
        this.archive = archive;
    }
}
