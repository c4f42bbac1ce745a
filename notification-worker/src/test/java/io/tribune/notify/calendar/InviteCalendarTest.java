package io.tribune.notify.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.events.MeetingEvents;
import io.tribune.notify.core.MeetingPlan;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

class InviteCalendarTest {

    private static final Instant STAMP = Instant.parse("2026-11-26T09:00:00Z");

    private final InviteCalendar calendar = new InviteCalendar(URI.create("https://meet.example.org/"),
            "no-reply@meet.example.org", "Tribune");

    private final MeetingPlan weekly = new MeetingPlan("m-1", "host-1", "Weekly planning", "meeting",
            Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"), "Europe/Berlin",
            "FREQ=WEEKLY;BYDAY=TU;COUNT=10",
            List.of(new MeetingEvents.Invitee("u-1", "ada@example.org", "participant"),
                    new MeetingEvents.Invitee(null, "bob@example.org", "attendee")),
            3, List.of(Instant.parse("2026-12-15T09:00:00Z")),
            List.of(new MeetingPlan.MovedOccurrence(Instant.parse("2026-12-08T09:00:00Z"),
                    Instant.parse("2026-12-08T13:00:00Z"), Instant.parse("2026-12-08T14:00:00Z"), null)));

    @Test
    void writesARequestIcal4jParsesWithTheApiServersUidAndTheEventsSequence() throws Exception {
        Calendar parsed = parse(calendar.request(weekly, STAMP));

        assertThat(parsed.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("REQUEST");
        List<VEvent> events = parsed.getComponents(Component.VEVENT);
        assertThat(events).hasSize(2);
        VEvent master = events.get(0);
        assertThat(master.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo("m-1@meet.example.org");
        assertThat(master.getProperty(Property.SEQUENCE).orElseThrow().getValue()).isEqualTo("3");
        assertThat(master.getProperty(Property.RRULE).orElseThrow().getValue())
                .isEqualTo("FREQ=WEEKLY;COUNT=10;BYDAY=TU");
        assertThat(master.getProperty(Property.EXDATE).orElseThrow().getValue()).isEqualTo("20261215T100000");
        assertThat(master.getProperty(Property.DTSTART).orElseThrow().getValue()).isEqualTo("20261201T100000");
        List<Property> attendees = master.getProperties(Property.ATTENDEE);
        assertThat(attendees.stream().map(Property::getValue).toList()).containsExactly("mailto:ada@example.org", "mailto:bob@example.org");
        assertThat(master.getProperties(Property.DTSTAMP)).hasSize(1);
        assertThat(events.get(1).getProperty(Property.RECURRENCE_ID).orElseThrow().getValue())
                .isEqualTo("20261208T100000");
        assertThat(events.get(1).getProperty(Property.DTSTART).orElseThrow().getValue()).isEqualTo("20261208T140000");
    }

    @Test
    void writesACancellationOfTheSeriesAndOfOneOccurrence() throws Exception {
        Calendar series = parse(calendar.cancel(weekly, STAMP));
        assertThat(series.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("CANCEL");
        VEvent cancelled = series.<VEvent>getComponents(Component.VEVENT).get(0);
        assertThat(cancelled.getProperty(Property.STATUS).orElseThrow().getValue()).isEqualTo("CANCELLED");
        assertThat(cancelled.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo("m-1@meet.example.org");

        Calendar one = parse(calendar.cancelOccurrence(weekly, Instant.parse("2026-12-22T09:00:00Z"), STAMP));
        VEvent occurrence = one.<VEvent>getComponents(Component.VEVENT).get(0);
        assertThat(occurrence.getProperty(Property.RECURRENCE_ID).orElseThrow().getValue())
                .isEqualTo("20261222T100000");
        assertThat(occurrence.getProperty(Property.RRULE)).isEmpty();
    }

    private static Calendar parse(String ics) throws Exception {
        return new CalendarBuilder().build(new StringReader(ics));
    }
}
