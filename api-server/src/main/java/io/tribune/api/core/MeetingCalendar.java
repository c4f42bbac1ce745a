package io.tribune.api.core;

import io.tribune.api.core.UserDirectory.UserProfile;
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
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.ExDate;
import net.fortuna.ical4j.model.property.LastModified;
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
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes meetings as RFC 5545 calendars with ical4j: an invite ({@code METHOD:REQUEST}, or {@code METHOD:CANCEL}
 * with {@code STATUS:CANCELLED} once the meeting is cancelled) and a subscription feed of many meetings (no
 * METHOD). Each meeting is a VEVENT with a UID stable for its life, SEQUENCE raised by every change, its time
 * zone's VTIMEZONE, RRULE, an EXDATE per cancelled occurrence and one VEVENT with RECURRENCE-ID per changed
 * occurrence; ORGANIZER is the host and ATTENDEEs the invitees (the host too, as CHAIR, since iTIP requests need
 * at least one). Text is escaped by ical4j (RFC 5545 section 3.3.11).
 *
 * <p>Thread-safe: each call builds its own calendar; the shared time-zone registry is only read, under a lock.
 */
public final class MeetingCalendar {

    public static final String MEDIA_TYPE = "text/calendar; charset=utf-8";

    private static final String PRODUCT_ID = "-//Tribune//Meetings 1.0//EN";

    private final MeetingLinks links;
    private final TimeZoneRegistry registry = TimeZoneRegistryFactory.getInstance().createRegistry();

    public MeetingCalendar(MeetingLinks links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    /** Whether a VTIMEZONE can be written for {@code zone}; zones ical4j lacks are refused at input. */
    public boolean knowsZone(ZoneId zone) {
        return vTimeZone(zone) != null;
    }

    /**
     * The invite of one meeting.
     *
     * @param people   accounts by id (host and invitees), for names and email addresses
     * @param passcode written into the description when not null (for hosts, who forward the invite)
     */
    public String invite(Meeting meeting, Map<String, UserProfile> people, String passcode) {
        if (meeting.schedule() == null) {
            throw new IllegalArgumentException("a personal room has no calendar entry");
        }
        Calendar calendar = calendar();
        calendar.add(new Method(meeting.cancelled() ? Method.VALUE_CANCEL : Method.VALUE_REQUEST));
        addTimeZone(calendar, meeting.schedule().timeZone());
        for (VEvent event : events(meeting, people, passcode)) {
            calendar.add(event);
        }
        return write(calendar);
    }

    /**
     * A subscription feed: every given meeting (cancelled ones left out, so clients drop them on refresh),
     * named for {@code ownerName}.
     */
    public String feed(String ownerName, List<Meeting> meetings, Map<String, UserProfile> people) {
        Calendar calendar = calendar();
        calendar.add(new XProperty("X-WR-CALNAME", "Tribune: " + ownerName));
        // How often subscribers should refresh (RFC 7986 REFRESH-INTERVAL, and the older Outlook hint).
        calendar.add(new XProperty("REFRESH-INTERVAL", new ParameterList(List.of(
                new net.fortuna.ical4j.model.parameter.Value("DURATION"))), "PT15M"));
        calendar.add(new XProperty("X-PUBLISHED-TTL", "PT15M"));
        Map<ZoneId, Boolean> zones = new LinkedHashMap<>();
        List<VEvent> events = new ArrayList<>();
        for (Meeting meeting : meetings) {
            if (meeting.cancelled() || meeting.schedule() == null) {
                continue;
            }
            zones.put(meeting.schedule().timeZone(), true);
            events.addAll(events(meeting, people, null));
        }
        if (zones.isEmpty()) {
            // RFC 5545 section 3.6: a calendar has at least one component; an empty feed still must parse.
            zones.put(ZoneId.of("Etc/UTC"), true);
        }
        zones.keySet().forEach(zone -> addTimeZone(calendar, zone));
        events.forEach(calendar::add);
        return write(calendar);
    }

    private List<VEvent> events(Meeting meeting, Map<String, UserProfile> people, String passcode) {
        MeetingSchedule schedule = meeting.schedule();
        ZoneId zone = schedule.timeZone();
        List<VEvent> events = new ArrayList<>();
        VEvent master = event(meeting, people, passcode, meeting.title(), schedule.startTime(),
                schedule.endTime());
        schedule.rule().ifPresent(rule -> master.add(new RRule<>(rule.value())));
        List<ZonedDateTime> excluded = new ArrayList<>();
        for (OccurrenceOverride override : schedule.overrides().values()) {
            if (override.cancelled()) {
                excluded.add(override.occurrence().atZone(zone));
            }
        }
        if (!excluded.isEmpty()) {
            master.add(new ExDate<>(new ParameterList(List.of(new TzId(zone.getId()))), new DateList<>(excluded)));
        }
        events.add(master);
        for (OccurrenceOverride override : schedule.overrides().values()) {
            if (override.cancelled()) {
                continue;
            }
            VEvent changed = event(meeting, people, passcode,
                    override.title() != null ? override.title() : meeting.title(), override.startTime(),
                    override.endTime());
            changed.add(new RecurrenceId<>(override.occurrence().atZone(zone)));
            events.add(changed);
        }
        return events;
    }

    private VEvent event(Meeting meeting, Map<String, UserProfile> people, String passcode, String title,
                         Instant start, Instant end) {
        ZoneId zone = meeting.schedule().timeZone();
        VEvent event = new VEvent(start.atZone(zone), end.atZone(zone), title);
        // The constructor adds a DTSTAMP of its own; a second one would be invalid (replace, never add).
        event.replace(new DtStamp(meeting.updatedAt()));
        event.add(new Uid(uid(meeting)));
        event.add(new Sequence(meeting.sequence()));
        event.add(new LastModified(meeting.updatedAt()));
        event.add(new Status(meeting.cancelled() ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
        String joinUrl = links.meetingUrl(meeting.id());
        event.add(new Url(URI.create(joinUrl)));
        event.add(new Location(joinUrl));
        event.add(new Description(description(meeting, passcode)));
        UserProfile host = people.get(meeting.hostId());
        String hostAddress = mailto(host != null ? host.email() : null, meeting.hostId());
        Organizer organizer = new Organizer(URI.create(hostAddress));
        if (host != null) {
            organizer.add(new Cn(host.displayName()));
        }
        event.add(organizer);
        Attendee chair = new Attendee(URI.create(hostAddress));
        chair.add(Role.CHAIR);
        chair.add(PartStat.ACCEPTED);
        if (host != null) {
            chair.add(new Cn(host.displayName()));
        }
        event.add(chair);
        for (Invitee invitee : meeting.invitees()) {
            UserProfile profile = invitee.userId() != null ? people.get(invitee.userId()) : null;
            String email = invitee.email() != null ? invitee.email() : profile != null ? profile.email() : null;
            if (email == null) {
                continue; // an account without an address cannot be invited by calendar
            }
            Attendee attendee = new Attendee(URI.create(mailto(email, invitee.reference())));
            attendee.add(switch (invitee.role()) {
                case CO_HOST -> Role.CHAIR;
                case ATTENDEE -> Role.OPT_PARTICIPANT;
                default -> Role.REQ_PARTICIPANT;
            });
            attendee.add(PartStat.NEEDS_ACTION);
            attendee.add(new Rsvp(true));
            if (profile != null) {
                attendee.add(new Cn(profile.displayName()));
            }
            event.add(attendee);
        }
        return event;
    }

    private String description(Meeting meeting, String passcode) {
        StringBuilder text = new StringBuilder();
        text.append(meeting.kind() == MeetingKind.TOWN_HALL ? "Join the town hall: " : "Join the meeting: ")
                .append(links.meetingUrl(meeting.id())).append('\n');
        text.append("Meeting ID: ").append(meeting.id()).append('\n');
        text.append("Meeting number: ").append(MeetingLinks.formatNumericId(meeting.numericId())).append('\n');
        if (passcode != null) {
            text.append("Passcode: ").append(passcode).append('\n');
        }
        return text.toString();
    }

    /** The UID: stable for the meeting's whole life, unique across deployments by the public host name. */
    public String uid(Meeting meeting) {
        return meeting.id() + "@" + links.hostName();
    }

    private static String mailto(String email, String fallbackLocalPart) {
        if (email != null && !email.isBlank()) {
            return "mailto:" + email.strip();
        }
        // RFC 6761: .invalid never resolves, so nothing is ever sent to this placeholder.
        return "mailto:" + fallbackLocalPart.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-")
                + "@tribune.invalid";
    }

    private static Calendar calendar() {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId(PRODUCT_ID));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        return calendar;
    }

    private void addTimeZone(Calendar calendar, ZoneId zone) {
        VTimeZone vTimeZone = vTimeZone(zone);
        if (vTimeZone == null) {
            throw new IllegalStateException("no VTIMEZONE for " + zone);
        }
        calendar.add(vTimeZone);
    }

    private VTimeZone vTimeZone(ZoneId zone) {
        synchronized (registry) {
            TimeZone timeZone = registry.getTimeZone(zone.getId());
            return timeZone == null ? null : timeZone.getVTimeZone();
        }
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
