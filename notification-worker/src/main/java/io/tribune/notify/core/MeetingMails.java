package io.tribune.notify.core;

import io.tribune.events.MeetingEvents;
import io.tribune.events.NotificationEvents;
import io.tribune.notify.calendar.InviteCalendar;
import io.tribune.notify.mail.Email;
import io.tribune.notify.mail.Templates;
import io.tribune.notify.mail.UnsubscribeLinks;
import io.tribune.notify.reminders.Occurrences;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The mails about meetings, one per invitee with an address: invitations and updates with a {@code REQUEST}
 * calendar, cancellations with a {@code CANCEL} one, reminders without. Notification ids are derived from the
 * event (or, for reminders, the meeting, the occurrence's start and the address), so the same event or occurrence
 * always yields the same ids. Thread-safe.
 */
public final class MeetingMails {

    public static final String INVITE = "meeting_invite";
    public static final String UPDATED = "meeting_updated";
    public static final String CANCELLED = "meeting_cancelled";
    public static final String REMINDER = "meeting_reminder";
    /**
     * The List-Unsubscribe categories: invitations, updates and cancellations are one kind, reminders another
     * (the api-server's {@code NotificationKind}s; mails sent before this split carry {@code meetings}, which the
     * api-server reads as both).
     */
    static final String CATEGORY = RecipientPreferences.INVITATIONS;
    static final String REMINDER_CATEGORY = RecipientPreferences.REMINDERS;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm",
            Locale.ENGLISH);

    private final Templates templates;
    private final InviteCalendar calendar;
    private final UnsubscribeLinks unsubscribe;
    private final Clock clock;
    private final RecipientPreferences preferences;

    public MeetingMails(Templates templates, InviteCalendar calendar, UnsubscribeLinks unsubscribe, Clock clock) {
        this(templates, calendar, unsubscribe, clock, null);
    }

    /** @param preferences addresses' opt-outs and reminder lead times; null: everyone gets everything */
    public MeetingMails(Templates templates, InviteCalendar calendar, UnsubscribeLinks unsubscribe, Clock clock,
                        RecipientPreferences preferences) {
        this.templates = templates;
        this.calendar = calendar;
        this.unsubscribe = unsubscribe;
        this.clock = clock;
        this.preferences = preferences;
    }

    /** A new meeting ({@code update} false) or a changed series, to everyone invited now. */
    public List<Email> invitations(MeetingPlan plan, UUID eventId, boolean update) {
        String kind = update ? UPDATED : INVITE;
        String ics = calendar.request(plan, clock.instant());
        Map<String, String> values = values(plan, plan.title(), plan.startTime());
        return mails(plan.invitees(), eventId, kind, values, new Email.CalendarPart(InviteCalendar.REQUEST, ics));
    }

    /** One occurrence of a series moved or renamed. */
    public List<Email> occurrenceUpdate(MeetingPlan plan, MeetingPlan.MovedOccurrence moved, UUID eventId) {
        String ics = calendar.requestOccurrence(plan, moved, clock.instant());
        Map<String, String> values = values(plan, moved.title() != null ? moved.title() : plan.title(),
                moved.startTime());
        values.put("recurrence_text", " (this occurrence only)");
        return mails(plan.invitees(), eventId, UPDATED, values, new Email.CalendarPart(InviteCalendar.REQUEST, ics));
    }

    /** The whole meeting is cancelled, or (for people dropped from the invitation) cancelled for them. */
    public List<Email> cancellations(MeetingPlan plan, List<MeetingEvents.Invitee> recipients, UUID eventId) {
        String ics = calendar.cancel(plan, clock.instant());
        Map<String, String> values = values(plan, plan.title(), plan.startTime());
        values.put("occurrence_text", "");
        values.put("when_suffix", plan.isSeries() ? "" : " @ " + values.get("when"));
        return mails(recipients, eventId, CANCELLED, values, new Email.CalendarPart(InviteCalendar.CANCEL, ics));
    }

    /** One occurrence of a series is cancelled. */
    public List<Email> occurrenceCancellation(MeetingPlan plan, Instant occurrence, UUID eventId) {
        String ics = calendar.cancelOccurrence(plan, occurrence, clock.instant());
        Map<String, String> values = values(plan, plan.title(), occurrence);
        values.put("occurrence_text", " on " + values.get("when"));
        values.put("when_suffix", " @ " + values.get("when"));
        return mails(plan.invitees(), eventId, CANCELLED, values, new Email.CalendarPart(InviteCalendar.CANCEL, ics));
    }

    /** Reminders of one occurrence, to everyone invited who wants them (whatever their lead time). */
    public List<Email> reminders(MeetingPlan plan, Occurrences.Occurrence occurrence) {
        return reminders(plan, occurrence, null, null);
    }

    /**
     * Reminders of one occurrence to the invitees who want them and whose reminder time (the occurrence's start
     * minus their lead time, {@code defaultLead} without a preference) has come at {@code now}; with a null
     * {@code now}, to all who want them.
     */
    public List<Email> reminders(MeetingPlan plan, Occurrences.Occurrence occurrence, Duration defaultLead,
                                 Instant now) {
        Map<String, String> values = values(plan, occurrence.title(), occurrence.start());
        long minutes = Math.max(1, (Duration.between(clock.instant(), occurrence.start()).toSeconds() + 59) / 60);
        values.put("minutes", Long.toString(minutes));
        List<String> addresses = recipients(plan.invitees());
        Map<String, RecipientPreferences.Preference> known = preferences(addresses);
        List<Email> result = new ArrayList<>();
        for (String address : addresses) {
            if (!RecipientPreferences.wants(known, address, REMINDER_CATEGORY)) {
                continue;
            }
            if (now != null && occurrence.start().minus(lead(known, address, defaultLead)).isAfter(now)) {
                continue; // a shorter lead time: this person's reminder comes later
            }
            UUID id = id("reminder|" + plan.meetingId() + "|" + occurrence.start() + "|" + address);
            result.add(new Email(id, REMINDER, address, templates.render(REMINDER, values), null,
                    unsubscribe.headers(address, REMINDER_CATEGORY), null));
        }
        return result;
    }

    /**
     * The invitees with an account (invited by account, or whose address the api-server told us belongs to one)
     * whose reminder time of this occurrence has come at {@code now}, whether or not they get the mail: the
     * api-server tells them in the bell and their browsers as their own preferences allow
     * ({@code notification.reminder_due}).
     */
    public List<NotificationEvents.ReminderDue> remindersDue(MeetingPlan plan, Occurrences.Occurrence occurrence,
                                                             Duration defaultLead, Instant now) {
        List<String> addresses = recipients(plan.invitees());
        Map<String, RecipientPreferences.Preference> known = preferences(addresses);
        Map<String, String> accounts = accounts(plan.invitees(), known);
        String title = occurrence.title() == null ? plan.title() : occurrence.title();
        List<NotificationEvents.ReminderDue> result = new ArrayList<>();
        for (String address : addresses) {
            String key = address.strip().toLowerCase(Locale.ROOT);
            if (!accounts.containsKey(key)
                    || occurrence.start().minus(lead(known, address, defaultLead)).isAfter(now)) {
                continue;
            }
            result.add(new NotificationEvents.ReminderDue(plan.meetingId(), title == null ? "Meeting" : title,
                    occurrence.start(), plan.zone().getId(), accounts.get(key), address));
        }
        return result;
    }

    /**
     * The distinct lead times of the invitees who want reminders (by mail, or, having an account, perhaps in the
     * bell or their browsers: only the api-server knows); empty when nobody does.
     */
    public Set<Duration> reminderLeads(MeetingPlan plan, Duration defaultLead) {
        List<String> addresses = recipients(plan.invitees());
        Map<String, RecipientPreferences.Preference> known = preferences(addresses);
        Map<String, String> accounts = accounts(plan.invitees(), known);
        Set<Duration> leads = new TreeSet<>();
        for (String address : addresses) {
            if (RecipientPreferences.wants(known, address, REMINDER_CATEGORY)
                    || accounts.containsKey(address.strip().toLowerCase(Locale.ROOT))) {
                leads.add(lead(known, address, defaultLead));
            }
        }
        return leads;
    }

    /** Lower-case address to account id, for the invitees known to have an account ("" when only the address). */
    private static Map<String, String> accounts(List<MeetingEvents.Invitee> invitees,
                                                Map<String, RecipientPreferences.Preference> known) {
        Map<String, String> accounts = new HashMap<>();
        known.forEach((address, preference) -> {
            if (preference.userId() != null) {
                accounts.put(address, preference.userId());
            }
        });
        for (MeetingEvents.Invitee invitee : invitees) {
            if (invitee.userId() != null && invitee.email() != null) {
                accounts.put(invitee.email().strip().toLowerCase(Locale.ROOT), invitee.userId());
            }
        }
        return accounts;
    }

    private Map<String, RecipientPreferences.Preference> preferences(List<String> addresses) {
        return preferences == null ? Map.of() : preferences.of(addresses);
    }

    private static Duration lead(Map<String, RecipientPreferences.Preference> known, String address,
                                 Duration defaultLead) {
        RecipientPreferences.Preference preference = known.get(address.strip().toLowerCase(Locale.ROOT));
        return preference != null && preference.lead() != null ? preference.lead() : defaultLead;
    }

    private List<Email> mails(List<MeetingEvents.Invitee> invitees, UUID eventId, String kind,
                              Map<String, String> values, Email.CalendarPart part) {
        Templates.Rendered content = templates.render(kind, values);
        List<Email> result = new ArrayList<>();
        List<String> addresses = recipients(invitees);
        Map<String, RecipientPreferences.Preference> known = preferences(addresses);
        for (String address : addresses) {
            if (!RecipientPreferences.wants(known, address, CATEGORY)) {
                continue; // opted out of invitations, updates and cancellations
            }
            result.add(new Email(id(eventId + "|" + kind + "|" + address), kind, address, content, part,
                    unsubscribe.headers(address, CATEGORY), eventId));
        }
        return result;
    }

    /** Invitees' addresses, each once (case-insensitively), in order; hosts and invitees without one left out. */
    static List<String> recipients(List<MeetingEvents.Invitee> invitees) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (MeetingEvents.Invitee invitee : invitees) {
            if (invitee.email() == null || invitee.email().isBlank() || "host".equals(invitee.role())) {
                continue;
            }
            byKey.putIfAbsent(invitee.email().strip().toLowerCase(Locale.ROOT), invitee.email().strip());
        }
        return List.copyOf(byKey.values());
    }

    private Map<String, String> values(MeetingPlan plan, String title, Instant start) {
        ZoneId zone = plan.zone();
        Map<String, String> values = new HashMap<>();
        values.put("title", title == null ? "Meeting" : title);
        values.put("when", WHEN.format(start.atZone(zone)));
        values.put("time_zone", zone.getId());
        values.put("join_url", calendar.meetingUrl(plan.meetingId()));
        values.put("recurrence_text", plan.isSeries() ? ", repeating (" + plan.recurrence() + ")" : "");
        return values;
    }

    /** The delivery-log id of one due-reminder report: per meeting, occurrence start and address. */
    public static UUID dueId(NotificationEvents.ReminderDue due) {
        return id("reminder_due|" + due.meetingId() + "|" + due.startTime() + "|" + due.email());
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
