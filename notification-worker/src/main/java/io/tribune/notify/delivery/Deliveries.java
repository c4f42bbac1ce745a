package io.tribune.notify.delivery;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.tribune.notify.mail.Email;
import io.tribune.notify.mail.Mailer;
import io.tribune.notify.mail.SendFailure;
import io.tribune.notify.push.WebPushSender;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each notification once, through the delivery log:
 *
 * <pre>
 *   deliver(email) ─► render ─► INSERT sending (id is the key) ─┬─ new ─────────────────────┐
 *                                                              └─ exists: sent/failed ─► skip (duplicate)
 *                                                                         pending with a retry due later ─► skip
 *                                                                         sending (a crash mid-send) ─┐
 *   attempt (attempts+1) ─► SMTP ─┬─ accepted ─► sent                                             ◄──┘
 *                                               ├─ permanent refusal / last attempt ─► failed
 *                                               └─ transient ─► pending + next_attempt_at, retry task scheduled
 * </pre>
 *
 * <p>The duplicate window: a crash (or a lost database connection) after the relay accepted the message and
 * before the row says {@code sent} leaves it {@code sending}; the next delivery of the same notification sends it
 * again. That window is one SMTP reply plus one UPDATE, milliseconds; the Message-ID is the same both times, so
 * mail clients that dedupe by Message-ID show one.
 *
 * <p>Thread-safe: called from the Kafka consumer thread and db-scheduler's threads.
 */
public final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    /** Schedules a later attempt of one notification (db-scheduler, durable). */
    public interface RetryScheduler {
        void scheduleRetry(UUID notificationId, Instant at);
    }

    /** What became of one delivery call. */
    public enum Outcome { SENT, DUPLICATE, RETRY_SCHEDULED, FAILED, EXPIRED }

    /** The outcome, and when the next attempt is due if there is one. */
    /** @param status the push service's HTTP status for {@link Outcome#EXPIRED} pushes, else 0 */
    public record Result(Outcome outcome, Instant nextAttempt, int status) {
        public Result(Outcome outcome, Instant nextAttempt) {
            this(outcome, nextAttempt, 0);
        }
    }

    private final DeliveryLog log;
    private final Mailer mailer;
    private final DeliveryConfiguration configuration;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;
    private final Counter retried;
    private final Counter duplicates;
    private final Timer sendTime;
    private final Counter pushed;
    private final Counter pushExpired;
    private volatile RetryScheduler retries;

    public Deliveries(DeliveryLog log, Mailer mailer, DeliveryConfiguration configuration, Clock clock,
                      MetricRegistry metrics) {
        this.log = log;
        this.mailer = mailer;
        this.configuration = configuration;
        this.clock = clock;
        this.sent = metrics.counter("notification.email.sent");
        this.failed = metrics.counter("notification.email.failed");
        this.retried = metrics.counter("notification.email.retried");
        this.duplicates = metrics.counter("notification.email.duplicates");
        this.sendTime = metrics.timer("notification.email.send");
        this.pushed = metrics.counter("notification.push.sent");
        this.pushExpired = metrics.counter("notification.push.expired");
    }

    /** Set once at startup, before the first delivery (the scheduler needs the tasks that call back here). */
    public void setRetryScheduler(RetryScheduler retries) {
        this.retries = retries;
    }

    /**
     * Sends {@code email} unless its notification id was delivered (or given up) before. SMTP failures do not
     * throw: they become a scheduled retry or a recorded failure. Database failures throw.
     */
    public Result deliver(Email email) throws SQLException {
        byte[] message;
        try {
            message = mailer.render(email);
        } catch (SendFailure invalid) {
            if (log.insert(email.notificationId(), email.kind(), email.to(), email.content().subject(), null,
                    email.sourceEvent(), DeliveryLog.FAILED, invalid.getMessage())) {
                failed.inc();
                LOG.warn("{} {} to '{}' not sent: {}", email.kind(), email.notificationId(), email.to(),
                        invalid.getMessage());
                return new Result(Outcome.FAILED, null);
            }
            duplicates.inc();
            return new Result(Outcome.DUPLICATE, null);
        }
        // New: inserted as the first attempt under way (one statement instead of insert + mark).
        int attempt = 1;
        if (!log.insert(email.notificationId(), email.kind(), email.to(), email.content().subject(), message,
                email.sourceEvent(), DeliveryLog.SENDING, null)) {
            DeliveryLog.Delivery existing = log.find(email.notificationId()).orElseThrow();
            if (isFinished(existing) || retryIsScheduled(existing)) {
                duplicates.inc();
                return new Result(Outcome.DUPLICATE, null);
            }
            LOG.info("{} {} was left '{}' by an earlier attempt; sending it now", existing.kind(),
                    existing.notificationId(), existing.status());
            message = existing.message();
            attempt = log.markSending(email.notificationId());
        }
        Result result = attempt(email.notificationId(), email.kind(), message, attempt);
        if (result.outcome() == Outcome.RETRY_SCHEDULED) {
            RetryScheduler scheduler = retries;
            if (scheduler == null) {
                throw new IllegalStateException("no retry scheduler set");
            }
            scheduler.scheduleRetry(email.notificationId(), result.nextAttempt());
        }
        return result;
    }

    /**
     * Sends one Web Push message unless its notification id was delivered before. Push has no retries yet: a
     * push service that is down or throttling records the message as failed with its answer, like a gone
     * subscription (404/410, counted as expired: the api-server should forget it) and a refused one.
     */
    public Result deliverPush(UUID notificationId, String kind, WebPushSender push,
                              WebPushSender.Subscription subscription, String title, String payload, UUID sourceEvent)
            throws SQLException, InterruptedException {
        if (!log.insert(notificationId, kind, "push", subscription.endpoint(), title,
                payload.getBytes(StandardCharsets.UTF_8), sourceEvent, DeliveryLog.SENDING, null)) {
            DeliveryLog.Delivery existing = log.find(notificationId).orElseThrow();
            if (isFinished(existing)) {
                duplicates.inc();
                return new Result(Outcome.DUPLICATE, null);
            }
            log.markSending(notificationId);
        }
        WebPushSender.Outcome outcome = push.send(subscription, payload);
        if (outcome.status() == WebPushSender.Status.DELIVERED) {
            log.markSent(notificationId);
            pushed.inc();
            return new Result(Outcome.SENT, null);
        }
        if (outcome.status() == WebPushSender.Status.EXPIRED) {
            pushExpired.inc();
            log.markFailed(notificationId, "subscription expired: " + outcome.detail());
            LOG.info("push {} {} not delivered: {}", kind, notificationId, outcome.detail());
            return new Result(Outcome.EXPIRED, null, outcome.httpStatus());
        } else {
            failed.inc();
            log.markFailed(notificationId, outcome.detail());
        }
        LOG.info("push {} {} not delivered: {}", kind, notificationId, outcome.detail());
        return new Result(Outcome.FAILED, null);
    }

    /**
     * Reports something once per notification id (channel {@code event} in the delivery log): {@code report} runs
     * unless a report with that id finished before; one that died midway (row left {@code sending}) runs again.
     * For events to the api-server, whose own ids make a second report harmless, this only saves the traffic.
     *
     * @return whether it reported now
     */
    public boolean reportOnce(UUID notificationId, String kind, String recipient, Runnable report)
            throws SQLException {
        if (!log.insert(notificationId, kind, "event", recipient, null, null, null, DeliveryLog.SENDING, null)) {
            DeliveryLog.Delivery existing = log.find(notificationId).orElseThrow();
            if (isFinished(existing)) {
                return false;
            }
            log.markSending(notificationId);
        }
        report.run();
        log.markSent(notificationId);
        return true;
    }

    /**
     * A scheduled retry: sends the stored message again unless it was sent or given up meanwhile. The caller
     * (the retry task) reschedules itself when the result asks for another attempt.
     */
    public Result retry(UUID notificationId) throws SQLException {
        Optional<DeliveryLog.Delivery> found = log.find(notificationId);
        if (found.isEmpty() || isFinished(found.get()) || found.get().message() == null) {
            return new Result(Outcome.DUPLICATE, null);
        }
        return attempt(notificationId, found.get().kind(), found.get().message(), log.markSending(notificationId));
    }

    /** Sends; {@code attempt} is the number the delivery log already recorded for this try. */
    private Result attempt(UUID id, String kind, byte[] message, int attempt) throws SQLException {
        try (Timer.Context ignored = sendTime.time()) {
            mailer.send(message);
        } catch (SendFailure failure) {
            if (failure.isPermanent() || attempt >= configuration.getMaxAttempts()) {
                String reason = failure.isPermanent() ? failure.getMessage()
                        : "gave up after " + attempt + " attempts: " + failure.getMessage();
                log.markFailed(id, reason);
                failed.inc();
                LOG.warn("{} {} failed for good: {}", kind, id, reason);
                return new Result(Outcome.FAILED, null);
            }
            Instant next = clock.instant().plus(configuration.backoff(attempt));
            log.markRetry(id, failure.getMessage(), next);
            retried.inc();
            LOG.info("{} {} attempt {} failed, next at {}: {}", kind, id, attempt, next, failure.getMessage());
            return new Result(Outcome.RETRY_SCHEDULED, next);
        }
        log.markSent(id);
        sent.inc();
        return new Result(Outcome.SENT, null);
    }

    private static boolean isFinished(DeliveryLog.Delivery delivery) {
        return delivery.status().equals(DeliveryLog.SENT) || delivery.status().equals(DeliveryLog.FAILED);
    }

    private static boolean retryIsScheduled(DeliveryLog.Delivery delivery) {
        return delivery.status().equals(DeliveryLog.PENDING) && delivery.nextAttemptAt() != null;
    }
}
