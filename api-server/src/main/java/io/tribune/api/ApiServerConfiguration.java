package io.tribune.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.validation.ValidationMethod;
import io.tribune.api.auth.AuthConfiguration;
import io.tribune.api.core.CaptionsConfiguration;
import io.tribune.api.core.FilesConfiguration;
import io.tribune.api.core.MeetingsConfiguration;
import io.tribune.api.core.RecordingsConfiguration;
import io.tribune.api.core.TranscriptsConfiguration;
import io.tribune.api.kafka.KafkaConfiguration;
import io.tribune.api.outbox.OutboxConfiguration;
import io.tribune.api.redis.RedisConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.net.URI;

/**
 * api-server's configuration, read from YAML with {@code ${VAR:-default}} environment substitution and validated
 * before anything starts. {@code config/api-server.example.yml} documents every key. The section and key names
 * are a contract with the ops supervisor, which generates this file: rename nothing.
 */
public class ApiServerConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    /** Run Flyway migrations at startup (retried in the background while PostgreSQL is unreachable). */
    private boolean migrateOnStart = true;

    @Valid
    @NotNull
    private KafkaConfiguration kafka = new KafkaConfiguration();

    @Valid
    @NotNull
    private RedisConfiguration redis = new RedisConfiguration();

    @Valid
    @NotNull
    private OutboxConfiguration outbox = new OutboxConfiguration();

    @Valid
    @NotNull
    private AuthConfiguration auth = new AuthConfiguration();

    @Valid
    @NotNull
    private MeetingsConfiguration meetings = new MeetingsConfiguration();

    @Valid
    @NotNull
    private FilesConfiguration files = new FilesConfiguration();

    @Valid
    @NotNull
    private RecordingsConfiguration recordings = new RecordingsConfiguration();

    @Valid
    @NotNull
    private TranscriptsConfiguration transcripts = new TranscriptsConfiguration();

    @Valid
    @NotNull
    private CaptionsConfiguration captions = new CaptionsConfiguration();

    /** The URL browsers use to reach this service; links in mails, ICS files and join responses start with it. */
    @NotNull
    private URI publicUrl = URI.create("http://127.0.0.1:8080");

    @Valid
    @NotNull
    private io.tribune.api.notify.NotificationsConfiguration notifications =
            new io.tribune.api.notify.NotificationsConfiguration();

    /** Preferences, unsubscribe, Web Push and the dev mailbox (see {@code NotificationsConfiguration}). */
    @JsonProperty
    public io.tribune.api.notify.NotificationsConfiguration getNotifications() {
        return notifications;
    }

    @JsonProperty
    public void setNotifications(io.tribune.api.notify.NotificationsConfiguration notifications) {
        this.notifications = notifications;
    }

    @JsonProperty("database")
    public DataSourceFactory getDatabase() {
        return database;
    }

    @JsonProperty("database")
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
    public KafkaConfiguration getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(KafkaConfiguration kafka) {
        this.kafka = kafka;
    }

    @JsonProperty
    public RedisConfiguration getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(RedisConfiguration redis) {
        this.redis = redis;
    }

    @JsonProperty
    public OutboxConfiguration getOutbox() {
        return outbox;
    }

    @JsonProperty
    public void setOutbox(OutboxConfiguration outbox) {
        this.outbox = outbox;
    }

    @JsonProperty
    public AuthConfiguration getAuth() {
        return auth;
    }

    @JsonProperty
    public void setAuth(AuthConfiguration auth) {
        this.auth = auth;
    }

    /** The {@code iss} of the tokens api-server signs: {@code auth.issuer}, or else {@code publicUrl}. */
    @JsonIgnore
    public String tokenIssuer() {
        if (auth.getIssuer() != null && !auth.getIssuer().isBlank()) {
            return auth.getIssuer();
        }
        String url = publicUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @JsonProperty
    public FilesConfiguration getFiles() {
        return files;
    }

    @JsonProperty
    public void setFiles(FilesConfiguration files) {
        this.files = files;
    }

    @JsonProperty
    public RecordingsConfiguration getRecordings() {
        return recordings;
    }

    @JsonProperty
    public void setRecordings(RecordingsConfiguration recordings) {
        this.recordings = recordings;
    }

    @JsonProperty
    public TranscriptsConfiguration getTranscripts() {
        return transcripts;
    }

    @JsonProperty
    public void setTranscripts(TranscriptsConfiguration transcripts) {
        this.transcripts = transcripts;
    }

    @JsonProperty
    public CaptionsConfiguration getCaptions() {
        return captions;
    }

    @JsonProperty
    public void setCaptions(CaptionsConfiguration captions) {
        this.captions = captions;
    }

    @JsonProperty
    public MeetingsConfiguration getMeetings() {
        return meetings;
    }

    @JsonProperty
    public void setMeetings(MeetingsConfiguration meetings) {
        this.meetings = meetings;
    }

    @JsonProperty
    public URI getPublicUrl() {
        return publicUrl;
    }

    @JsonProperty
    public void setPublicUrl(URI publicUrl) {
        this.publicUrl = publicUrl;
    }

    @JsonIgnore
    @ValidationMethod(message = "publicUrl must be an absolute http:// or https:// URL with a host, "
            + "e.g. https://meet.example.org")
    public boolean isPublicUrlAbsoluteHttp() {
        if (publicUrl == null) {
            return true; // @NotNull reports it
        }
        String scheme = publicUrl.getScheme();
        return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                && publicUrl.getHost() != null && publicUrl.getRawQuery() == null && publicUrl.getRawFragment() == null;
    }

    @JsonIgnore
    @ValidationMethod(message = "database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)")
    public boolean isDatabaseUrlPostgres() {
        return database == null || database.getUrl() == null || database.getUrl().startsWith("jdbc:postgresql:");
    }
}
