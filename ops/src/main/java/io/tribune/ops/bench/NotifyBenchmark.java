package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.MeetingEvents;
import io.tribune.events.UserEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench notify}: a temporary Tribune ({@code tribune up}: the notification worker as a child JVM, the dev
 * SMTP server, PostgreSQL and Kafka, all on this machine), then
 *
 * <ul>
 *   <li>{@code emails_per_s}: N verification events published at once to {@code tribune.users}; rate = N / (time
 *       from the first publish to the last mail the SMTP server accepted, from the delivery log's
 *       {@code sent_at});</li>
 *   <li>{@code reminder_late_p99_s}: M meetings (one invitee each) whose reminders fall due spread over the same
 *       minute, two minutes after publishing (the dev worker's lead time is 10 minutes: each meeting starts 10
 *       minutes after its reminder); lateness = the reminder's {@code sent_at} - its due time.</li>
 * </ul>
 *
 * Medians over the runs; each run uses new addresses so the delivery log never deduplicates across runs.
 */
final class NotifyBenchmark implements Benchmark {

    private static final Duration LEAD = Duration.ofMinutes(10);
    private static final Duration REMINDERS_FROM = Duration.ofSeconds(120);
    private static final Duration REMINDERS_SPREAD = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "notify";
    }

    @Override
    public String description() {
        return "mails through the worker to the dev SMTP server, and 10,000 reminders due in one minute"
                + " (emails_per_s, reminder_late_p99_s)";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int runs = Benchmarks.runs(args, 3);
        int emails = intArg(args, "--emails", 2000);
        int reminders = intArg(args, "--reminders", 10_000);
        List<Double> rates = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> maxes = new ArrayList<>();
        try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
            platform.start();
            JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(
                    platform.dataDir().resolve("config").resolve("notification-worker.yml").toFile());
            JsonNode database = config.path("database");
            try (KafkaProducer<String, byte[]> producer = producer(config.path("kafka").path("bootstrapServers")
                    .asText());
                 Connection db = DriverManager.getConnection(database.path("url").asText(),
                         database.path("user").asText(), database.path("password").asText(""))) {
                System.err.println("warming up with " + Math.min(emails, 300) + " mails ...");
                emailsPerSecond(producer, db, "warm", Math.min(emails, 300));
                for (int run = 1; run <= runs; run++) {
                    double rate = emailsPerSecond(producer, db, "e" + run + UUID.randomUUID().toString()
                            .substring(0, 6), emails);
                    rates.add(rate);
                    System.err.printf(Locale.ROOT, "run %d/%d: %d mails, %.1f emails/s%n", run, runs, emails, rate);
                }
                for (int run = 1; run <= runs; run++) {
                    double[] late = reminderLateness(producer, db, "r" + run + UUID.randomUUID().toString()
                            .substring(0, 6), reminders);
                    p50s.add(late[0]);
                    p99s.add(late[1]);
                    maxes.add(late[2]);
                    System.err.printf(Locale.ROOT, "run %d/%d: %d reminders, late p50 %.2f s, p99 %.2f s, max %.2f s%n",
                            run, runs, reminders, late[0], late[1], late[2]);
                }
            }
        }
        return new Result(List.of(
                String.format(Locale.ROOT, "emails_per_s=%.1f", Benchmarks.median(rates)),
                String.format(Locale.ROOT, "reminder_late_p99_s=%.2f", Benchmarks.median(p99s)),
                String.format(Locale.ROOT, "reminder_late_p50_s=%.2f", Benchmarks.median(p50s)),
                String.format(Locale.ROOT, "reminder_late_max_s=%.2f", Benchmarks.median(maxes)),
                "emails=" + emails, "reminders=" + reminders, "runs=" + runs));
    }

    private static double emailsPerSecond(KafkaProducer<String, byte[]> producer, Connection db, String tag,
                                          int count) throws Exception {
        Instant start = Instant.now();
        for (int i = 0; i < count; i++) {
            publish(producer, new UserEvents.VerificationRequested("bench-" + tag + "-" + i,
                    tag + "-" + i + "@bench.example.org", "link-" + UUID.randomUUID()));
        }
        producer.flush();
        Instant last = awaitSent(db, "verify_email", tag + "-%", count,
                start.plus(Duration.ofSeconds(60)).plusSeconds(count / 5));
        return count / (Duration.between(start, last).toNanos() / 1e9);
    }

    /** p50, p99 and max lateness in seconds. */
    private static double[] reminderLateness(KafkaProducer<String, byte[]> producer, Connection db, String tag,
                                             int count) throws Exception {
        Instant origin = Instant.now();
        Map<String, Instant> dueByRecipient = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Instant due = origin.plus(REMINDERS_FROM).plusNanos(REMINDERS_SPREAD.toNanos() * i / count);
            Instant start = due.plus(LEAD);
            String recipient = tag + "-" + i + "@bench.example.org";
            dueByRecipient.put(recipient, due);
            publish(producer, new MeetingEvents.Scheduled("bench-" + tag + "-" + i, "bench-host", "Bench " + i,
                    "meeting", start, start.plus(Duration.ofMinutes(30)), "UTC", null,
                    List.of(new MeetingEvents.Invitee(null, recipient, "participant")), 0));
        }
        producer.flush();
        Instant invited = awaitSent(db, "meeting_invite", tag + "-%", count, origin.plus(Duration.ofMinutes(15)));
        System.err.printf(Locale.ROOT, "  %d invitations sent %.1f s after publishing began%n", count,
                Duration.between(origin, invited).toMillis() / 1000.0);
        awaitSent(db, "meeting_reminder", tag + "-%", count,
                origin.plus(REMINDERS_FROM).plus(REMINDERS_SPREAD).plus(Duration.ofMinutes(15)));
        List<Double> lateness = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement("SELECT recipient, sent_at FROM"
                + " notification.deliveries WHERE kind = 'meeting_reminder' AND status = 'sent' AND recipient LIKE ?")) {
            statement.setString(1, tag + "-%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Instant due = dueByRecipient.get(rows.getString(1));
                    lateness.add(Duration.between(due, rows.getTimestamp(2).toInstant()).toMillis() / 1000.0);
                }
            }
        }
        lateness.sort(Double::compare);
        return new double[] {percentile(lateness, 0.50), percentile(lateness, 0.99),
                lateness.get(lateness.size() - 1)};
    }

    /** Waits until {@code count} deliveries of {@code kind} to matching recipients are sent; the last sent_at. */
    private static Instant awaitSent(Connection db, String kind, String recipients, int count, Instant deadline)
            throws Exception {
        int lastSeen = -1;
        long lastReport = System.nanoTime();
        while (true) {
            try (PreparedStatement statement = db.prepareStatement("SELECT count(*), max(sent_at) FROM"
                    + " notification.deliveries WHERE kind = ? AND status = 'sent' AND recipient LIKE ?")) {
                statement.setString(1, kind);
                statement.setString(2, recipients);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    int sent = rows.getInt(1);
                    if (sent >= count) {
                        return rows.getTimestamp(2).toInstant();
                    }
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        System.err.printf(Locale.ROOT, "  %s: %d of %d sent%n", kind, sent, count);
                        lastReport = System.nanoTime();
                    }
                    lastSeen = sent;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + lastSeen + " of " + count + " " + kind
                        + " mails were sent in time; see the worker's log in .tribune/logs");
            }
            Thread.sleep(250);
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, EventData data) {
        Event event = Event.of(data, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static double percentile(List<Double> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        if (i >= 0 && i + 1 < args.size()) {
            return Integer.parseInt(args.get(i + 1));
        }
        return fallback;
    }
}
