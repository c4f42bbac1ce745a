package io.tribune.api.notify;

import io.tribune.api.core.MeetingEventListener;
import io.tribune.events.EventData;
import io.tribune.events.MeetingEvents;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Invitations, updates and cancellations in the bell and as pushes (kind {@code invitations}): every invitee with an
 * account (invited by account, or by the address of an active account) gets an in-app notification and a push to
 * each of their browsers, as their preferences allow, but no mail: notification-worker already mails every invitee
 * the same change with its calendar file. Runs inside the transaction that appends the meeting event; the ids come
 * from the meeting, its SEQUENCE (raised by every change) and the occurrence, so each change notifies each person
 * once. The host is not told of their own meeting. Thread-safe.
 */
public final class InvitationNotifier implements MeetingEventListener {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm",
            Locale.ENGLISH);

    private final Notifications notifications;
    private final String appBase;

    public InvitationNotifier(Notifications notifications, URI publicUrl) {
        this.notifications = notifications;
        String base = publicUrl.toString();
        this.appBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/app/#/";
    }

    @Override
    public void appended(Handle handle, EventData event, List<MeetingEvents.Invitee> uninvited) {
        if (event instanceof MeetingEvents.Scheduled scheduled) {
            tell(handle, scheduled.invitees(), scheduled.hostId(), seed("scheduled", scheduled.meetingId(),
                    scheduled.sequence(), null), notice(scheduled));
        } else if (event instanceof MeetingEvents.Updated updated) {
            tell(handle, updated.invitees(), updated.hostId(), seed("updated", updated.meetingId(),
                    updated.sequence(), updated.occurrence()), notice(updated));
            if (!uninvited.isEmpty()) {
                tell(handle, uninvited, updated.hostId(), seed("uninvited", updated.meetingId(), updated.sequence(),
                        null), Notifications.Message.notice("Cancelled: " + updated.title(),
                        "You are no longer invited to \"" + updated.title() + "\".", appBase));
            }
        } else if (event instanceof MeetingEvents.Cancelled cancelled) {
            tell(handle, cancelled.invitees(), cancelled.hostId(), seed("cancelled", cancelled.meetingId(),
                    cancelled.sequence(), cancelled.occurrence()), notice(cancelled));
        }
    }

    /** In-app and push, never mail, to each invitee with an account. */
    private void tell(Handle handle, List<MeetingEvents.Invitee> invitees, String hostId, String seed,
                      Notifications.Message message) {
        for (String userId : accounts(handle, invitees)) {
            if (!userId.equals(hostId)) {
                notifications.notify(handle, userId, NotificationKind.INVITATIONS, seed, message,
                        Notifications.Delivery.skipping(Channel.EMAIL));
            }
        }
    }

    /** The accounts of the invitees: by id, or by the address of an active account. */
    private static Set<String> accounts(Handle handle, List<MeetingEvents.Invitee> invitees) {
        Set<String> ids = new LinkedHashSet<>();
        List<String> addresses = new ArrayList<>();
        for (MeetingEvents.Invitee invitee : invitees) {
            if (invitee.userId() != null) {
                ids.add(invitee.userId());
            } else if (invitee.email() != null) {
                addresses.add(invitee.email().toLowerCase(Locale.ROOT));
            }
        }
        if (!addresses.isEmpty()) {
            ids.addAll(handle.createQuery("SELECT CAST(id AS text) FROM users WHERE lower(email) IN (<addresses>) "
                            + "AND deleted_at IS NULL AND NOT disabled ORDER BY id")
                    .bindList("addresses", addresses).mapTo(String.class).list());
        }
        return ids;
    }

    /** One id seed per change: the SEQUENCE rises with every change of the meeting. */
    static String seed(String what, String meetingId, int sequence, Instant occurrence) {
        return "meeting." + what + "|" + meetingId + "|" + sequence + (occurrence == null ? "" : "|" + occurrence);
    }

    Notifications.Message notice(MeetingEvents.Scheduled scheduled) {
        String when = when(scheduled.startTime(), scheduled.timeZone());
        return Notifications.Message.notice("Invitation: " + scheduled.title(), "You are invited to \""
                + scheduled.title() + "\"" + (when.isEmpty() ? "" : ", " + when)
                + (scheduled.recurrence() == null ? "" : " (repeats)") + ".", meetingUrl(scheduled.meetingId()));
    }

    Notifications.Message notice(MeetingEvents.Updated updated) {
        String when = when(updated.startTime(), updated.timeZone());
        String body = updated.occurrence() != null
                ? "One occurrence of \"" + updated.title() + "\" changed" + (when.isEmpty() ? "" : ": now " + when)
                : "\"" + updated.title() + "\" changed" + (when.isEmpty() ? "" : "; it starts " + when);
        return Notifications.Message.notice("Updated: " + updated.title(), body + ".",
                meetingUrl(updated.meetingId()));
    }

    Notifications.Message notice(MeetingEvents.Cancelled cancelled) {
        // The event carries no zone: the occurrence is said in UTC.
        String body = cancelled.occurrence() != null
                ? "The occurrence of \"" + cancelled.title() + "\" on " + when(cancelled.occurrence(), "UTC")
                + " is cancelled."
                : "\"" + cancelled.title() + "\" is cancelled.";
        return Notifications.Message.notice("Cancelled: " + cancelled.title(), body,
                meetingUrl(cancelled.meetingId()));
    }

    private String meetingUrl(String meetingId) {
        return appBase + "meetings/" + meetingId;
    }

    /** "Tue 1 Dec 2026, 10:00 (Europe/Paris)"; empty without a time (a personal room). */
    static String when(Instant start, String timeZone) {
        if (start == null) {
            return "";
        }
        ZoneId zone;
        try {
            zone = timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            zone = ZoneId.of("UTC");
        }
        return WHEN.format(start.atZone(zone)) + " (" + zone.getId() + ")";
    }
}
