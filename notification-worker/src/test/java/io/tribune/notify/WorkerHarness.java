package io.tribune.notify;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.platform.SmtpComponent;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A notification worker (or several) against the shared embedded platform, with a database and a consumer group
 * of its own (other test classes' events on the shared topics are read too, so tests look only at mails to their
 * own addresses) and an SMTP server of its own. Events are published as the api-server's outbox relay publishes
 * them: EventCodec JSON, keyed by the entity, the event id in the {@code event_id} header.
 */
final class WorkerHarness implements AutoCloseable {

    final PlatformUrls urls;
    final String group;
    final String jdbcUrl;
    final SmtpComponent smtp = SmtpComponent.forTests();
    private final KafkaProducer<String, byte[]> producer;
    private final List<DropwizardTestSupport<NotificationWorkerConfiguration>> running = new ArrayList<>();

    WorkerHarness() throws Exception {
        urls = PlatformExtension.platform().urls();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        group = "notification-worker-it-" + suffix;
        String database = "notify_it_" + suffix;
        try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(), urls.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        jdbcUrl = urls.jdbcUrl().substring(0, urls.jdbcUrl().lastIndexOf('/') + 1) + database;
        smtp.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts one more worker instance; extra overrides (e.g. {@code reminders.leadTime}) win. */
    DropwizardTestSupport<NotificationWorkerConfiguration> startWorker(ConfigOverride... extra) throws Exception {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", jdbcUrl),
                ConfigOverride.config("database.user", urls.dbUser()),
                ConfigOverride.config("database.password", urls.dbPassword() == null ? "" : urls.dbPassword()),
                ConfigOverride.config("kafka.bootstrapServers", urls.kafkaBootstrap()),
                ConfigOverride.config("kafka.group", group),
                ConfigOverride.config("smtp.port", Integer.toString(smtp.port()))));
        overrides.addAll(List.of(extra));
        DropwizardTestSupport<NotificationWorkerConfiguration> worker = new DropwizardTestSupport<>(
                NotificationWorkerApplication.class, ResourceHelpers.resourceFilePath("notification-worker-test.yml"),
                overrides.toArray(ConfigOverride[]::new));
        worker.before();
        running.add(worker);
        return worker;
    }

    void stopWorker(DropwizardTestSupport<NotificationWorkerConfiguration> worker) {
        running.remove(worker);
        worker.after();
    }

    Event publish(EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
        publish(event);
        return event;
    }

    void publish(Event event) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.key(),
                EventCodec.encode(event));
        record.headers().add("event_id", event.id().toString().getBytes(StandardCharsets.UTF_8));
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    void publishRaw(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** Messages received for {@code addresses} (any case) that match {@code filter}. */
    List<MimeMessage> mails(List<String> addresses, Predicate<MimeMessage> filter) {
        List<MimeMessage> result = new ArrayList<>();
        for (MimeMessage message : smtp.receivedMessages()) {
            try {
                String to = message.getAllRecipients()[0].toString().toLowerCase(Locale.ROOT);
                if (addresses.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(to)) && filter.test(message)) {
                    result.add(message);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return result;
    }

    /** Waits until exactly-or-more {@code count} matching mails are there; returns them. */
    List<MimeMessage> awaitMails(List<String> addresses, Predicate<MimeMessage> filter, int count,
                                 Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<MimeMessage> found = mails(addresses, filter);
        while (found.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " mails to " + addresses + ", got " + found.size());
            }
            Thread.sleep(100);
            found = mails(addresses, filter);
        }
        return found;
    }

    static Predicate<MimeMessage> subjectStartsWith(String prefix) {
        return message -> {
            try {
                return message.getSubject() != null && message.getSubject().startsWith(prefix);
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        };
    }

    /** The first body part (depth first) whose type starts with {@code type}, as text; null when none. */
    static String part(Object content, String type) throws Exception {
        if (content instanceof MimeMessage message) {
            if (message.getContentType().toLowerCase(Locale.ROOT).startsWith(type)) {
                return text(message.getContent());
            }
            return part(message.getContent(), type);
        }
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                if (body.getContentType().toLowerCase(Locale.ROOT).startsWith(type)) {
                    return text(body.getContent());
                }
                String nested = part(body.getContent(), type);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private static String text(Object content) throws Exception {
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof InputStream in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
        return String.valueOf(content);
    }

    @Override
    public void close() {
        for (DropwizardTestSupport<NotificationWorkerConfiguration> worker : List.copyOf(running)) {
            stopWorker(worker);
        }
        producer.close(Duration.ofSeconds(5));
        smtp.stop();
    }
}
