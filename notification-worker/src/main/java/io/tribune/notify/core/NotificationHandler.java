package io.tribune.notify.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.tribune.common.kafka.EventHandler;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.MeetingEvents;
import io.tribune.events.NotificationEvents;
import io.tribune.events.UserEvents;
import io.tribune.notify.delivery.Deliveries;
import io.tribune.notify.mail.Email;
import io.tribune.notify.mail.TemplateException;
import io.tribune.notify.mail.Templates;
import io.tribune.notify.push.WebPushSender;
import io.tribune.notify.reminders.Reminders;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker does with each event of {@code tribune.meetings}, {@code tribune.users} and
 * {@code tribune.notifications}:
 *
 * <ul>
 *   <li>{@code meeting.scheduled}: invitations (REQUEST) to every invitee, and the meeting's reminder.</li>
 *   <li>{@code meeting.updated}: updates (REQUEST, higher SEQUENCE) to every invitee, a cancellation to anyone
 *       no longer invited, and the reminder moved; with {@code occurrence} set, for that occurrence only.</li>
 *   <li>{@code meeting.cancelled}: cancellations (CANCEL); the reminder removed, or that occurrence skipped.</li>
 *   <li>{@code user.verification_requested} / {@code user.password_reset_requested}: the link mail.</li>
 *   <li>{@code notification.requested} on the {@code email} channel: the named template; other channels are
 *       counted and skipped (not built yet).</li>
 * </ul>
 *
 * An event older than what the worker knows (a lower SEQUENCE) is skipped. An event missing what a mail needs
 * (no address, no link id, an unknown template) is a {@link PoisonEventException}: dead-lettered with the
 * reason. Thread-safe: the consumer runs events of different keys (meetings, users) at once, each key's in order.
 */
public final class NotificationHandler implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationHandler.class);

    private final MeetingPlans plans;
    private final MeetingMails meetingMails;
    private final AccountMails accountMails;
    private final Templates templates;
    private final Deliveries deliveries;
    private final Reminders reminders;
    private final WebPushSender push;
    private RecipientPreferences preferences;
    private PushExpiries expiries;
    private boolean allowLoopbackHttp;
    private final Counter stale;
    private final Counter skipped;

    public NotificationHandler(MeetingPlans plans, MeetingMails meetingMails, AccountMails accountMails,
                               Templates templates, Deliveries deliveries, Reminders reminders,
                               WebPushSender push, MetricRegistry metrics) {
        this.plans = plans;
        this.meetingMails = meetingMails;
        this.accountMails = accountMails;
        this.templates = templates;
        this.deliveries = deliveries;
        this.reminders = reminders;
        this.push = push;
        this.stale = metrics.counter("notification.events.stale");
        this.skipped = metrics.counter("notification.events.skipped");
    }

    /** Keep addresses' preferences from {@code notification.preferences_changed} (call before consuming). */
    public NotificationHandler withPreferences(RecipientPreferences recipientPreferences) {
        this.preferences = recipientPreferences;
        return this;
    }

    /** Tests with a local fake push service: accept http endpoints on loopback (call before consuming). */
    public NotificationHandler allowingLoopbackHttpPush(boolean allow) {
        this.allowLoopbackHttp = allow;
        return this;
    }

    /** Report gone push subscriptions (call before consuming). */
    public NotificationHandler withPushExpiries(PushExpiries pushExpiries) {
        this.expiries = pushExpiries;
        return this;
    }

    /** Where the worker reports a push subscription the push service says is gone. */
    public interface PushExpiries {
        void expired(NotificationEvents.PushSubscriptionExpired expired);
    }

    @Override
    public void handle(Event event) throws SQLException {
        Object data = event.data();
        if (data instanceof MeetingEvents.Scheduled scheduled) {
            scheduled(event.id(), scheduled);
        } else if (data instanceof MeetingEvents.Updated updated) {
            updated(event.id(), updated);
        } else if (data instanceof MeetingEvents.Cancelled cancelled) {
            cancelled(event.id(), cancelled);
        } else if (data instanceof UserEvents.VerificationRequested verification) {
            requireLink(verification.email(), verification.linkId());
            send(List.of(accountMails.verification(event.id(), verification.email(), verification.linkId())));
        } else if (data instanceof UserEvents.PasswordResetRequested reset) {
            requireLink(reset.email(), reset.linkId());
            send(List.of(accountMails.passwordReset(event.id(), reset.email(), reset.linkId())));
        } else if (data instanceof NotificationEvents.Requested requested) {
            requested(event.id(), requested);
        } else if (data instanceof NotificationEvents.PreferencesChanged changed) {
            preferencesChanged(changed);
        } else if (data instanceof UserEvents.Updated updated && preferences != null && updated.userId() != null
                && updated.email() != null && !updated.email().isBlank()) {
            // A new address keeps the account's opt-outs and lead time.
            preferences.moveUser(updated.userId(), updated.email());
        }
        // Every other event on these topics (user.registered, meeting.started, ...) needs no notification.
    }

    private void scheduled(UUID eventId, MeetingEvents.Scheduled event) throws SQLException {
        if (!hasSchedule(event.meetingId(), event.startTime(), event.endTime())) {
            return;
        }
        Optional<MeetingPlan> known = plans.find(event.meetingId());
        if (known.isPresent() && known.get().sequence() > event.sequence()) {
            stale.inc();
            return;
        }
        MeetingPlan plan = MeetingPlan.of(event);
        plans.save(plan);
        send(meetingMails.invitations(plan, eventId, false));
        reminders.planChanged(plan);
    }

    private void updated(UUID eventId, MeetingEvents.Updated event) throws SQLException {
        Optional<MeetingPlan> known = plans.find(event.meetingId());
        if (known.isPresent() && known.get().sequence() > event.sequence()) {
            stale.inc();
            return;
        }
        if (!hasSchedule(event.meetingId(), event.startTime(), event.endTime())) {
            return;
        }
        if (event.occurrence() != null) {
            if (known.isEmpty()) {
                throw new PoisonEventException("occurrence update of meeting " + event.meetingId()
                        + ", which this worker never saw scheduled");
            }
            MeetingPlan plan = known.get().withMoved(event);
            plans.save(plan);
            MeetingPlan.MovedOccurrence moved = plan.movedOccurrences().stream()
                    .filter(m -> m.occurrence().equals(event.occurrence())).findFirst().orElseThrow();
            send(meetingMails.occurrenceUpdate(plan, moved, eventId));
            reminders.planChanged(plan);
            return;
        }
        MeetingPlan plan = known.map(p -> p.withSeries(event)).orElseGet(() -> MeetingPlan.of(asScheduled(event)));
        plans.save(plan);
        send(meetingMails.invitations(plan, eventId, true));
        if (known.isPresent()) {
            List<MeetingEvents.Invitee> dropped = dropped(known.get().invitees(), plan.invitees());
            if (!dropped.isEmpty()) {
                send(meetingMails.cancellations(plan, dropped, eventId));
            }
        }
        reminders.planChanged(plan);
    }

    private void cancelled(UUID eventId, MeetingEvents.Cancelled event) throws SQLException {
        Optional<MeetingPlan> known = plans.find(event.meetingId());
        if (known.isPresent() && known.get().sequence() > event.sequence()) {
            stale.inc();
            return;
        }
        if (known.isEmpty()) {
            // Never saw it scheduled (the worker started later than the topic's retention): nothing to cancel in
            // anyone's calendar that this worker put there; the api-server's own calendar files say CANCELLED.
            LOG.info("cancellation of unknown meeting {} skipped", event.meetingId());
            skipped.inc();
            return;
        }
        if (event.occurrence() != null) {
            MeetingPlan plan = known.get().withCancelled(event.occurrence(), event.sequence());
            plans.save(plan);
            send(meetingMails.occurrenceCancellation(plan, event.occurrence(), eventId));
            reminders.planChanged(plan);
            return;
        }
        MeetingPlan plan = known.get();
        MeetingPlan cancelled = new MeetingPlan(plan.meetingId(), plan.hostId(),
                event.title() != null ? event.title() : plan.title(), plan.kind(), plan.startTime(), plan.endTime(),
                plan.timeZone(), plan.recurrence(), event.invitees().isEmpty() ? plan.invitees() : event.invitees(),
                event.sequence(), plan.cancelledOccurrences(), plan.movedOccurrences());
        send(meetingMails.cancellations(cancelled, cancelled.invitees(), eventId));
        reminders.meetingCancelled(plan.meetingId());
        plans.delete(plan.meetingId());
    }

    /**
     * Keeps the address's opt-outs and lead time, and moves the reminders of the meetings it is invited to (a
     * longer lead time may bring one forward; turning reminders off may remove one).
     */
    private void preferencesChanged(NotificationEvents.PreferencesChanged changed) throws SQLException {
        if (changed.email() == null || changed.email().isBlank()) {
            throw new PoisonEventException("preferences without an address");
        }
        if (preferences == null) {
            skipped.inc();
            return;
        }
        preferences.save(changed);
        for (MeetingPlan plan : plans.inviting(changed.email())) {
            reminders.planChanged(plan);
        }
    }

    private void requested(UUID eventId, NotificationEvents.Requested request) throws SQLException {
        if ("push".equals(request.channel()) && push != null) {
            push(eventId, request);
            return;
        }
        if (!"email".equals(request.channel())) {
            // In-app notifications are not built yet, and push only with VAPID keys configured: counted, not
            // dead-lettered (nothing is wrong with the event itself).
            skipped.inc();
            LOG.info("notification {} on channel '{}' skipped: channel not supported yet", request.notificationId(),
                    request.channel());
            return;
        }
        if (request.email() == null || request.email().isBlank()) {
            throw new PoisonEventException("notification " + request.notificationId() + " has no email address");
        }
        Templates.Rendered content;
        try {
            content = templates.render(request.template(), request.params());
        } catch (TemplateException e) {
            throw new PoisonEventException(e.getMessage(), e);
        }
        send(List.of(new Email(notificationId(request.notificationId(), eventId), request.template(),
                request.email(), content, null, Map.of(), eventId)));
    }

    /**
     * A Web Push message: {@code params} carry the subscription ({@code endpoint}, {@code p256dh}, {@code auth}) and
     * the template's values; the payload is {@code {"title":subject,"body":text,"url":params.url}} as JSON.
     */
    private void push(UUID eventId, NotificationEvents.Requested request) throws SQLException {
        Map<String, String> params = request.params();
        if (params.get("endpoint") == null || params.get("p256dh") == null || params.get("auth") == null
                || !(params.get("endpoint").startsWith("https://") || allowLoopbackHttp
                && (params.get("endpoint").startsWith("http://127.0.0.1:")
                || params.get("endpoint").startsWith("http://localhost:")))) {
            throw new PoisonEventException("push notification " + request.notificationId()
                    + " needs an https endpoint, p256dh and auth");
        }
        Templates.Rendered content;
        try {
            content = templates.render(request.template(), params);
        } catch (TemplateException e) {
            throw new PoisonEventException(e.getMessage(), e);
        }
        Map<String, String> payload = new java.util.LinkedHashMap<>();
        payload.put("title", content.subject());
        payload.put("body", content.text().strip());
        if (params.get("url") != null) {
            payload.put("url", params.get("url"));
        }
        String json;
        try {
            json = io.tribune.events.EventCodec.mapper().writeValueAsString(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            Deliveries.Result result = deliveries.deliverPush(notificationId(request.notificationId(), eventId),
                    "push_" + request.template(), push, new WebPushSender.Subscription(params.get("endpoint"),
                            params.get("p256dh"), params.get("auth")), content.subject(), json, eventId);
            if (result.outcome() == Deliveries.Outcome.EXPIRED && expiries != null) {
                // The push service says the subscription is gone (404/410): the api-server forgets it.
                expiries.expired(new NotificationEvents.PushSubscriptionExpired(request.notificationId(),
                        request.userId(), params.get("endpoint"), result.status()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing", e);
        }
    }

    private void send(List<Email> emails) throws SQLException {
        for (Email email : emails) {
            deliveries.deliver(email);
        }
    }

    private static UUID notificationId(String given, UUID eventId) {
        if (given == null || given.isBlank()) {
            return MeetingMails.id("requested|" + eventId);
        }
        try {
            return UUID.fromString(given);
        } catch (IllegalArgumentException e) {
            return MeetingMails.id("requested|" + given);
        }
    }

    private static List<MeetingEvents.Invitee> dropped(List<MeetingEvents.Invitee> before,
                                                       List<MeetingEvents.Invitee> after) {
        Set<String> still = MeetingMails.recipients(after).stream().map(a -> a.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<MeetingEvents.Invitee> dropped = new ArrayList<>();
        for (MeetingEvents.Invitee invitee : before) {
            if (invitee.email() != null && !still.contains(invitee.email().strip().toLowerCase(Locale.ROOT))) {
                dropped.add(invitee);
            }
        }
        return dropped;
    }

    private static MeetingEvents.Scheduled asScheduled(MeetingEvents.Updated event) {
        return new MeetingEvents.Scheduled(event.meetingId(), event.hostId(), event.title(), event.kind(),
                event.startTime(), event.endTime(), event.timeZone(), event.recurrence(), event.invitees(),
                event.sequence());
    }

    /**
     * Personal rooms have no schedule (nothing to invite to or remind of): counted and skipped. A start after the
     * end is a broken event.
     */
    private boolean hasSchedule(String meetingId, java.time.Instant start, java.time.Instant end) {
        if (meetingId == null) {
            throw new PoisonEventException("meeting event without a meeting id");
        }
        if (start == null || end == null) {
            skipped.inc();
            return false;
        }
        if (end.isBefore(start)) {
            throw new PoisonEventException("meeting " + meetingId + " ends before it starts");
        }
        return true;
    }

    private static void requireLink(String email, String linkId) {
        if (email == null || email.isBlank() || linkId == null || linkId.isBlank()) {
            throw new PoisonEventException("account mail without an address or a link id");
        }
    }
}
