package io.tribune.api.outbox;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.kafka.KafkaProducerManager;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Publishes outbox rows to Kafka, in id order, and marks each one sent only after the broker acknowledged it.
 *
 * <p>One pass: in one transaction, claim up to {@code batchSize} due unsent rows with
 * {@code FOR UPDATE SKIP LOCKED} (so relays of several api-server instances share the work without publishing a
 * row twice), send them all, wait for every acknowledgement or failure, set {@code sent_at} on the acknowledged
 * ones and record the attempt and the error on the others, commit. A row is therefore never lost and never
 * marked sent before its ack. Delivery is at-least-once: should the commit fail after the broker acknowledged,
 * or should an acknowledgement be lost in transit, the row is sent again later; consumers deduplicate on the
 * event id (the {@value #EVENT_ID_HEADER} header, also inside the payload).
 *
 * <p>Failures: when Kafka is unreachable (a retriable error) the whole relay backs off, {@code minBackoff}
 * doubling up to {@code maxBackoff}, and then starts again from the oldest unsent row, so the events of one key
 * keep their order. A row Kafka rejects for itself (too large, say) gets its own backoff via
 * {@code next_attempt_at}, and the rows after it go on.
 *
 * <p>Between passes the relay waits for the poll interval or, sooner, a PostgreSQL notification that rows were
 * committed. Once every ten minutes it deletes rows sent longer ago than the retention.
 *
 * <p>Threading: all work happens on the relay's own thread; {@link #start()} and {@link #stop()} may be called
 * from any thread. {@link #stop()} lets the in-flight pass finish (acks awaited, rows marked) before returning.
 */
public final class OutboxRelay implements Managed {

    public static final String EVENT_ID_HEADER = "event_id";

    static final String CLAIM = """
            SELECT id, event_id, topic, event_key, payload, attempts
            FROM outbox
            WHERE sent_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= clock_timestamp())
            ORDER BY id
            LIMIT :limit
            FOR UPDATE SKIP LOCKED
            """;
    static final String MARK_SENT = """
            UPDATE outbox SET sent_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL,
                              next_attempt_at = NULL
            WHERE id IN (<ids>)
            """;
    /** {@code :backoffSeconds} is 0 for retriable failures: the relay as a whole backs off instead. */
    static final String MARK_FAILED = """
            UPDATE outbox SET attempts = attempts + 1, last_error = :error,
                              next_attempt_at = CASE WHEN :backoffSeconds > 0
                                  THEN clock_timestamp() + make_interval(secs => :backoffSeconds) END
            WHERE id = :id
            """;
    static final String DELETE_EXPIRED = """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < :cutoff LIMIT :limit)
            """;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(10);
    private static final int SWEEP_CHUNK = 10_000;
    private static final int MAX_ERROR_LENGTH = 2_000;

    /** What one pass did; {@code retriable} counts the failures that say Kafka is unreachable or overloaded. */
    record Pass(int claimed, int sent, int failed, int retriable) {
        static final Pass EMPTY = new Pass(0, 0, 0, 0);
    }

    /** Why a row was not acknowledged. */
    private record Failure(String message, boolean retriable) {
    }

    private final Jdbi jdbi;
    private final KafkaProducerManager kafka;
    private final OutboxConfiguration configuration;
    private final Duration ackTimeout;
    private final BooleanSupplier schemaReady;
    private final OutboxNotifications notifications;
    private final Clock clock;

    private final Counter published;
    private final Counter failures;
    private final Timer publishLatency;

    private volatile boolean running;
    private volatile Thread thread;
    private Instant nextSweep = Instant.MIN;

    /**
     * @param deliveryTimeout the producer's {@code delivery.timeout.ms}: every send completes within it, so the
     *                        relay waits that long (plus a margin) for a pass's acknowledgements
     * @param notifications   opens LISTEN connections; null to poll only
     */
    public OutboxRelay(Jdbi jdbi, KafkaProducerManager kafka, OutboxConfiguration configuration,
                       Duration deliveryTimeout, BooleanSupplier schemaReady,
                       OutboxNotifications.ConnectionFactory notifications, MetricRegistry metrics, Clock clock) {
        this.jdbi = jdbi;
        this.kafka = kafka;
        this.configuration = configuration;
        this.ackTimeout = deliveryTimeout.plusSeconds(5);
        this.schemaReady = schemaReady;
        this.notifications = notifications == null || !configuration.isListenNotify()
                ? null : new OutboxNotifications(notifications);
        this.clock = clock;
        this.published = metrics.counter("tribune.outbox.published");
        this.failures = metrics.counter("tribune.outbox.failures");
        this.publishLatency = metrics.timer("tribune.outbox.publish_latency");
        metrics.gauge("tribune.outbox.pending", () -> new CachedGauge<Long>(5, TimeUnit.SECONDS) {
            @Override
            protected Long loadValue() {
                return countPending();
            }
        });
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread relay = new Thread(this::run, "outbox-relay");
        relay.setDaemon(true);
        thread = relay;
        relay.start();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        running = false;
        Thread relay = thread;
        if (relay == null) {
            return;
        }
        // The pass in flight finishes: at most the ack timeout, plus the poll wait the thread may be in.
        relay.join(ackTimeout.plus(Duration.ofMillis(configuration.getPollInterval().toMilliseconds()))
                .plusSeconds(5).toMillis());
        if (relay.isAlive()) {
            LOG.warn("Outbox relay did not finish its pass in time; interrupting it");
            relay.interrupt();
            relay.join(5_000);
        }
        thread = null;
    }

    private void run() {
        Duration pollInterval = Duration.ofMillis(configuration.getPollInterval().toMilliseconds());
        Duration maxBackoff = Duration.ofMillis(configuration.getMaxBackoff().toMilliseconds());
        Duration minBackoff = Duration.ofMillis(configuration.getMinBackoff().toMilliseconds());
        Duration errorBackoff = pollInterval;
        Duration kafkaBackoff = minBackoff;
        try {
            while (running) {
                try {
                    if (!schemaReady.getAsBoolean()) {
                        waitForWork(pollInterval);
                        continue;
                    }
                    Pass pass = relayOnce();
                    sweepIfDue();
                    errorBackoff = pollInterval;
                    if (pass.retriable() > 0) {
                        // Kafka is unreachable: pause the whole relay rather than skip ahead to later rows, so
                        // that events of one key keep their order once it is back.
                        sleepWhileRunning(kafkaBackoff);
                        kafkaBackoff = min(kafkaBackoff.multipliedBy(2), maxBackoff);
                        continue;
                    }
                    kafkaBackoff = minBackoff;
                    boolean moreWaiting = pass.claimed() == configuration.getBatchSize() && pass.failed() == 0;
                    if (!moreWaiting) {
                        waitForWork(pollInterval);
                    }
                } catch (InterruptedException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Typically PostgreSQL unreachable: back off, keep the rows, try again.
                    LOG.warn("Outbox relay pass failed; retrying in {} ms: {}", errorBackoff.toMillis(), e.toString());
                    sleepWhileRunning(errorBackoff);
                    errorBackoff = min(errorBackoff.multipliedBy(2), maxBackoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (notifications != null) {
                notifications.close();
            }
            LOG.info("Outbox relay stopped");
        }
    }

    /** Sleeps, but returns soon after {@link #stop()} so a long backoff does not hold up shutdown. */
    private void sleepWhileRunning(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while (running && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    private void waitForWork(Duration pollInterval) throws InterruptedException {
        if (notifications != null) {
            notifications.await(pollInterval);
        } else {
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** One pass: claim, publish, wait for acks, mark, commit. Runs on the relay thread. */
    Pass relayOnce() {
        return jdbi.inTransaction(handle -> {
            List<OutboxRow> rows = handle.createQuery(CLAIM)
                    .bind("limit", configuration.getBatchSize())
                    .map((rs, ctx) -> new OutboxRow(rs.getLong("id"), rs.getObject("event_id", UUID.class),
                            rs.getString("topic"), rs.getString("event_key"), rs.getBytes("payload"),
                            rs.getInt("attempts")))
                    .list();
            if (rows.isEmpty()) {
                return Pass.EMPTY;
            }
            List<Future<RecordMetadata>> acks = send(rows);
            return awaitAndMark(handle, rows, acks);
        });
    }

    /**
     * Sends the rows in order. Stops early when a send fails at once with a retriable error (no metadata: the
     * cluster is unreachable), as every further send would block just as long; unsent rows stay for later.
     */
    private List<Future<RecordMetadata>> send(List<OutboxRow> rows) {
        Producer<String, byte[]> producer = kafka.producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EVENT_ID_HEADER, row.eventId().toString().getBytes(StandardCharsets.UTF_8));
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(row.topic(), null, row.eventKey(), row.payload(), headers);
            long sentAt = System.nanoTime();
            Future<RecordMetadata> ack;
            try {
                ack = producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        publishLatency.update(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
                    }
                });
            } catch (KafkaException | IllegalStateException e) {
                ack = CompletableFuture.failedFuture(e);
            }
            acks.add(ack);
            if (ack.isDone() && failedRetriably(ack)) {
                break;
            }
        }
        return acks;
    }

    private Pass awaitAndMark(Handle handle, List<OutboxRow> rows, List<Future<RecordMetadata>> acks) {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        List<Long> sent = new ArrayList<>(acks.size());
        PreparedBatch failed = handle.prepareBatch(MARK_FAILED);
        String firstError = null;
        int retriable = 0;
        for (int i = 0; i < acks.size(); i++) {
            OutboxRow row = rows.get(i);
            Failure failure = awaitAck(acks.get(i), deadline);
            if (failure == null) {
                sent.add(row.id());
                continue;
            }
            firstError = firstError == null ? failure.message() : firstError;
            if (failure.retriable()) {
                retriable++;
            } else {
                // This row itself is the problem (too large, invalid topic...): only it waits, the rest go on.
                LOG.error("Outbox row {} (event {}) rejected by Kafka, attempt {}: {}", row.id(), row.eventId(),
                        row.attempts() + 1, failure.message());
            }
            failed.bind("id", row.id())
                    .bind("error", truncate(failure.message()))
                    .bind("backoffSeconds", failure.retriable() ? 0.0 : backoff(row.attempts()).toMillis() / 1000.0)
                    .add();
        }
        if (!sent.isEmpty()) {
            handle.createUpdate(MARK_SENT).bindList("ids", sent).execute();
        }
        int failedCount = acks.size() - sent.size();
        if (failedCount > 0) {
            failed.execute();
            LOG.warn("Outbox: {} of {} row(s) not acknowledged by Kafka, will retry: {}", failedCount, acks.size(),
                    firstError);
        }
        published.inc(sent.size());
        failures.inc(failedCount);
        return new Pass(rows.size(), sent.size(), failedCount, retriable);
    }

    /** Null when acknowledged, else why not. */
    private static Failure awaitAck(Future<RecordMetadata> ack, long deadlineNanos) {
        try {
            ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Failure(cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    cause instanceof RetriableException);
        } catch (TimeoutException e) {
            // Cannot happen within delivery.timeout.ms; if it does, the row stays unsent (a late ack may
            // then produce a duplicate, which consumers absorb).
            return new Failure("no acknowledgement within the delivery timeout", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure("interrupted while waiting for the acknowledgement", true);
        }
    }

    private static boolean failedRetriably(Future<RecordMetadata> ack) {
        try {
            ack.get(0, TimeUnit.NANOSECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof RetriableException;
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** Wait before a row Kafka rejected is tried again: {@code minBackoff * 2^attempts}, at most {@code maxBackoff}. */
    Duration backoff(int previousAttempts) {
        long min = configuration.getMinBackoff().toMilliseconds();
        long max = configuration.getMaxBackoff().toMilliseconds();
        long millis = min;
        for (int i = 0; i < previousAttempts && millis < max; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(max, millis));
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_INTERVAL);
        Instant cutoff = now.minusMillis(configuration.getRetention().toMilliseconds());
        int deleted = deleteSentBefore(cutoff);
        if (deleted > 0) {
            LOG.info("Outbox: deleted {} row(s) sent before {}", deleted, cutoff);
        }
    }

    /** Deletes rows sent before {@code cutoff}, in chunks so no single statement runs long. */
    int deleteSentBefore(Instant cutoff) {
        int total = 0;
        for (int chunk = 0; chunk < 100; chunk++) {
            int deleted = jdbi.withHandle(handle -> handle.createUpdate(DELETE_EXPIRED)
                    .bind("cutoff", cutoff)
                    .bind("limit", SWEEP_CHUNK)
                    .execute());
            total += deleted;
            if (deleted < SWEEP_CHUNK) {
                break;
            }
        }
        return total;
    }

    private Long countPending() {
        if (!schemaReady.getAsBoolean()) {
            return null;
        }
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
                    .mapTo(Long.class)
                    .one());
        } catch (RuntimeException e) {
            return null; // unknown while PostgreSQL is down: the gauge is left out of the scrape
        }
    }

    private static String truncate(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
