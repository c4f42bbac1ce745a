package io.tribune.notify.calendar;

import io.tribune.events.MeetingEvents;
import io.tribune.notify.core.MeetingPlan;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.DateList;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * iTIP (RFC 5546) messages for meeting mails, written with ical4j: {@code METHOD:REQUEST} for an invitation or an
 * update (same UID as the api-server's calendar files, {@code <meetingId>@<public host>}, with the SEQUENCE the
 * event carries, RRULE, an EXDATE per cancelled occurrence and a VEVENT with RECURRENCE-ID per moved one), and
 * {@code METHOD:CANCEL} for a cancelled meeting or occurrence.
 *
 * <p>ORGANIZER is the worker's From address (events carry the host's id, not an address); ATTENDEEs are the
 * invitees with an address.
 *
 * <p>Thread-safe: each call builds its own calendar; the time-zone registry is read under a lock.
 */
public final class InviteCalendar {

    public static final String REQUEST = "REQUEST";
    public static final String CANCEL = "CANCEL";
    private static final String PRODUCT_ID = "-//Tribune//Notifications 1.0//EN";

    private final String uidDomain;
    private final String publicUrl;
    private final String organizerAddress;
    private final String organizerName;
    private final TimeZoneRegistry registry = TimeZoneRegistryFactory.getInstance().createRegistry();

    /**
     * @param publicUrl        the api-server's public URL; its host is the UID's domain, and join links start with it
     * @param organizerAddress the ORGANIZER's address
     */
    public InviteCalendar(URI publicUrl, String organizerAddress, String organizerName) {
        this.uidDomain = Objects.requireNonNull(publicUrl.getHost(), "publicUrl has no host");
        String base = publicUrl.toString();
        this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.organizerAddress = Objects.requireNonNull(organizerAddress, "organizerAddress");
        this.organizerName = organizerName;
    }

    /** The meeting's page, where people join. */
    public String meetingUrl(String meetingId) {
        return publicUrl + "/meetings/" + meetingId;
    }

    /** {@code <meetingId>@<public host>}, as the api-server writes it. */
    public String uid(String meetingId) {
        return meetingId + "@" + uidDomain;
    }

    /** The whole meeting or series, as it is now. */
    public String request(MeetingPlan plan, Instant stamp) {
        Calendar calendar = calendar(REQUEST, plan.zone());
        VEvent master = event(plan, plan.title(), plan.startTime(), plan.endTime(), stamp, false);
        if (plan.isSeries()) {
            master.add(new RRule<>(plan.recurrence()));
            if (!plan.cancelledOccurrences().isEmpty()) {
                master.add(exDates(plan));
            }
        }
        calendar.add(master);
        if (plan.isSeries()) {
            for (MeetingPlan.MovedOccurrence moved : plan.movedOccurrences()) {
                calendar.add(occurrence(plan, moved, stamp));
            }
        }
        return write(calendar);
    }

    /** One moved occurrence of a series (RECURRENCE-ID), the rest unchanged. */
    public String requestOccurrence(MeetingPlan plan, MeetingPlan.MovedOccurrence moved, Instant stamp) {
        Calendar calendar = calendar(REQUEST, plan.zone());
        calendar.add(occurrence(plan, moved, stamp));
        return write(calendar);
    }

    /** The whole meeting or series is cancelled. */
    public String cancel(MeetingPlan plan, Instant stamp) {
        Calendar calendar = calendar(CANCEL, plan.zone());
        VEvent master = event(plan, plan.title(), plan.startTime(), plan.endTime(), stamp, true);
        if (plan.isSeries()) {
            master.add(new RRule<>(plan.recurrence()));
        }
        calendar.add(master);
        return write(calendar);
    }

    /** One occurrence of a series is cancelled ({@code occurrence}: its original start). */
    public String cancelOccurrence(MeetingPlan plan, Instant occurrence, Instant stamp) {
        Calendar calendar = calendar(CANCEL, plan.zone());
        Instant end = occurrence.plus(java.time.Duration.between(plan.startTime(), plan.endTime()));
        VEvent event = event(plan, plan.title(), occurrence, end, stamp, true);
        event.add(new RecurrenceId<>(occurrence.atZone(plan.zone())));
        calendar.add(event);
        return write(calendar);
    }

    private VEvent occurrence(MeetingPlan plan, MeetingPlan.MovedOccurrence moved, Instant stamp) {
        VEvent event = event(plan, moved.title() != null ? moved.title() : plan.title(), moved.startTime(),
                moved.endTime(), stamp, false);
        event.add(new RecurrenceId<>(moved.occurrence().atZone(plan.zone())));
        return event;
    }

    private VEvent event(MeetingPlan plan, String title, Instant start, Instant end, Instant stamp,
                         boolean cancelled) {
        ZoneId zone = plan.zone();
        VEvent event = new VEvent(start.atZone(zone), end.atZone(zone), title == null ? "Meeting" : title);
        // The constructor adds a DTSTAMP of its own; a second one would be invalid (replace, never add).
        event.replace(new DtStamp(stamp));
        event.add(new Uid(uid(plan.meetingId())));
        event.add(new Sequence(plan.sequence()));
        event.add(new Status(cancelled ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
        String url = meetingUrl(plan.meetingId());
        event.add(new Url(URI.create(url)));
        event.add(new Location(url));
        Organizer organizer = new Organizer(URI.create("mailto:" + organizerAddress));
        if (organizerName != null && !organizerName.isBlank()) {
            organizer.add(new Cn(organizerName));
        }
        event.add(organizer);
        for (MeetingEvents.Invitee invitee : plan.invitees()) {
            if (invitee.email() == null || invitee.email().isBlank() || invitee.email().contains(" ")) {
                continue;
            }
            Attendee attendee = new Attendee(URI.create("mailto:" + invitee.email().strip()));
            attendee.add(switch (invitee.role() == null ? "" : invitee.role().toLowerCase(Locale.ROOT)) {
                case "host", "co_host" -> Role.CHAIR;
                case "attendee" -> Role.OPT_PARTICIPANT;
                default -> Role.REQ_PARTICIPANT;
            });
            attendee.add(PartStat.NEEDS_ACTION);
            attendee.add(new Rsvp(true));
            event.add(attendee);
        }
        return event;
    }

    private static ExDate<ZonedDateTime> exDates(MeetingPlan plan) {
        List<ZonedDateTime> excluded = new ArrayList<>();
        for (Instant occurrence : plan.cancelledOccurrences()) {
            excluded.add(occurrence.atZone(plan.zone()));
        }
        return new ExDate<>(new ParameterList(List.of(new TzId(plan.zone().getId()))), new DateList<>(excluded));
    }

    private Calendar calendar(String method, ZoneId zone) {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId(PRODUCT_ID));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(new Method(method));
        VTimeZone vTimeZone;
        synchronized (registry) {
            TimeZone timeZone = registry.getTimeZone(zone.getId());
            vTimeZone = timeZone == null ? null : timeZone.getVTimeZone();
        }
        if (vTimeZone != null) {
            calendar.add(vTimeZone);
        }
        return calendar;
    }

    private static String write(Calendar calendar) {
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
