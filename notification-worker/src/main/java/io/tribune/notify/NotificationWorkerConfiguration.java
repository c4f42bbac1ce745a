package io.tribune.notify;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.tribune.notify.delivery.DeliveryConfiguration;
import io.tribune.notify.mail.SmtpConfiguration;
import io.tribune.notify.push.WebPushConfiguration;
import io.tribune.notify.reminders.RemindersConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/**
 * The notification worker's configuration; every key is documented in
 * {@code notification-worker/config/notification-worker.example.yml}.
 */
public class NotificationWorkerConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    /** Apply the worker's migrations (schema {@code notification}) at start. */
    private boolean migrateOnStart = true;

    @Valid
    @NotNull
    private KafkaSection kafka = new KafkaSection();

    @Valid
    @NotNull
    private SmtpConfiguration smtp = new SmtpConfiguration();

    /** The api-server's public URL: links in mails start with it, and its host is the calendar UIDs' domain. */
    @NotNull
    private URI publicUrl = URI.create("http://127.0.0.1:8080");

    /** The From address of every mail (and the invitations' ORGANIZER), with an optional display name. */
    @NotBlank
    private String from = "Tribune <no-reply@tribune.local>";

    /**
     * The key that signs RFC 8058 List-Unsubscribe tokens, shared with the api-server. Empty: meeting mails carry
     * no List-Unsubscribe headers.
     */
    private String unsubscribeKey = "";

    @Valid
    @NotNull
    private DeliveryConfiguration delivery = new DeliveryConfiguration();

    @Valid
    @NotNull
    private RemindersConfiguration reminders = new RemindersConfiguration();

    @Valid
    @NotNull
    private WebPushConfiguration webPush = new WebPushConfiguration();

    @JsonProperty
    public WebPushConfiguration getWebPush() {
        return webPush;
    }

    @JsonProperty
    public void setWebPush(WebPushConfiguration webPush) {
        this.webPush = webPush;
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
    public SmtpConfiguration getSmtp() {
        return smtp;
    }

    @JsonProperty
    public void setSmtp(SmtpConfiguration smtp) {
        this.smtp = smtp;
    }

    @JsonProperty
    public URI getPublicUrl() {
        return publicUrl;
    }

    @JsonProperty
    public void setPublicUrl(URI publicUrl) {
        this.publicUrl = publicUrl;
    }

    @JsonProperty
    public String getFrom() {
        return from;
    }

    @JsonProperty
    public void setFrom(String from) {
        this.from = from;
    }

    @JsonProperty
    public String getUnsubscribeKey() {
        return unsubscribeKey;
    }

    @JsonProperty
    public void setUnsubscribeKey(String unsubscribeKey) {
        this.unsubscribeKey = unsubscribeKey == null ? "" : unsubscribeKey;
    }

    @JsonProperty
    public DeliveryConfiguration getDelivery() {
        return delivery;
    }

    @JsonProperty
    public void setDelivery(DeliveryConfiguration delivery) {
        this.delivery = delivery;
    }

    @JsonProperty
    public RemindersConfiguration getReminders() {
        return reminders;
    }

    @JsonProperty
    public void setReminders(RemindersConfiguration reminders) {
        this.reminders = reminders;
    }
}
