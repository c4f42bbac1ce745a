package io.tribune.api.core;

import io.tribune.api.core.UserDirectory.UserProfile;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.validate.ValidationResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MeetingCalendarTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant FIRST = Instant.parse("2027-03-16T09:00:00Z");
    private static final Instant UPDATED = Instant.parse("2026-12-01T08:00:00Z");
    private static final Map<String, UserProfile> PEOPLE = Map.of(
            "host-1", new UserProfile("host-1", "Hanna Host", "hanna@example.org"),
            "user-2", new UserProfile("user-2", "Bob", "bob@example.org"));

    private final MeetingCalendar calendar = new MeetingCalendar(
            new MeetingLinks(URI.create("https://meet.example.org"), URI.create("https://cdn.example.org")));

    private static Meeting meeting(String title, MeetingSchedule schedule, MeetingStatus status, int sequence) {
        return new Meeting("abcdefghijklmnopqrst", 12345678901L, MeetingKind.MEETING, "host-1", title, schedule,
                MeetingSettings.defaults(MeetingKind.MEETING), false, sequence, status, false, false,
                new StoredPasscode(new byte[32], new byte[40]),
                List.of(Invitee.user("user-2", MeetingRole.PARTICIPANT),
                        Invitee.email("guest@example.net", MeetingRole.CO_HOST)),
                UPDATED, UPDATED);
    }

    private static MeetingSchedule weekly() {
        return new MeetingSchedule(FIRST, FIRST.plusSeconds(3600), BERLIN,
                RecurrenceRule.parse("FREQ=WEEKLY;COUNT=6", FIRST.atZone(BERLIN), 500), Map.of());
    }

    /** Parses and validates like a calendar client would; fails the test on any validation error. */
    static Calendar parseValid(String ics) throws IOException, ParserException {
        Calendar parsed = new CalendarBuilder().build(new StringReader(ics));
        ValidationResult result = parsed.validate();
        assertThat(result.getEntries()).as(ics).isEmpty();
        return parsed;
    }

    private static List<VEvent> events(Calendar calendar) {
        return calendar.getComponents(Component.VEVENT).stream().map(VEvent.class::cast).toList();
    }

    private static String value(Component component, String property) {
        return component.getProperty(property).map(Property::getValue).orElse(null);
    }

    private static String value(Calendar calendar, String property) {
        return calendar.getProperty(property).map(Property::getValue).orElse(null);
    }

    private static List<String> attendees(VEvent event) {
        List<Property> attendees = event.getProperties("ATTENDEE");
        return attendees.stream().map(Property::getValue).toList();
    }

    @Nested
    class WhenWritingAnInvite {

        @Test
        void writesAValidRequestWithOrganizerAttendeesUrlAndZone() throws Exception {
            String ics = calendar.invite(meeting("Team Sync", weekly(), MeetingStatus.SCHEDULED, 0), PEOPLE, null);

            Calendar parsed = parseValid(ics);
            assertThat(value(parsed, "METHOD")).isEqualTo("REQUEST");
            assertThat(parsed.getComponents(Component.VTIMEZONE)).hasSize(1);
            VEvent event = events(parsed).get(0);
            assertThat(value(event, "UID")).isEqualTo("abcdefghijklmnopqrst@meet.example.org");
            assertThat(value(event, "RRULE")).isEqualTo("FREQ=WEEKLY;COUNT=6");
            assertThat(value(event, "ORGANIZER")).isEqualTo("mailto:hanna@example.org");
            assertThat(value(event, "URL")).isEqualTo("https://meet.example.org/meetings/abcdefghijklmnopqrst");
            assertThat(value(event, "SEQUENCE")).isEqualTo("0");
            assertThat(value(event, "STATUS")).isEqualTo("CONFIRMED");
            assertThat(value(event, "DESCRIPTION")).contains("https://meet.example.org/meetings/abcdefghijklmnopqrst")
                    .contains("abcdefghijklmnopqrst").contains("123 4567 8901").doesNotContain("Passcode");
            assertThat(ics).contains("DTSTART;TZID=Europe/Berlin:20270316T100000");
            assertThat(attendees(event)).containsExactly(
                    "mailto:hanna@example.org", "mailto:bob@example.org", "mailto:guest@example.net");
            assertThat(ics).contains("ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE", "ROLE=CHAIR");
            assertThat(ics.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(75));
        }

        @Test
        void includesThePasscodeOnlyWhenAsked() throws Exception {
            String ics = calendar.invite(meeting("Team Sync", weekly(), MeetingStatus.SCHEDULED, 0), PEOPLE,
                    "482913");

            assertThat(value(events(parseValid(ics)).get(0), "DESCRIPTION")).contains("Passcode: 482913");
        }

        @Test
        void writesCancelledAndChangedOccurrencesAsExdateAndRecurrenceId() throws Exception {
            Instant second = Instant.parse("2027-03-23T09:00:00Z");
            Instant third = Instant.parse("2027-03-30T08:00:00Z");
            MeetingSchedule schedule = weekly().with(OccurrenceOverride.cancelled(second))
                    .with(new OccurrenceOverride(third, false, "Moved sync", third.plusSeconds(7200),
                            third.plusSeconds(9000)));

            String ics = calendar.invite(meeting("Team Sync", schedule, MeetingStatus.SCHEDULED, 3), PEOPLE, null);

            List<VEvent> parsed = events(parseValid(ics));
            assertThat(parsed).hasSize(2);
            assertThat(ics).contains("EXDATE;TZID=Europe/Berlin:20270323T100000");
            VEvent changed = parsed.get(1);
            assertThat(value(changed, "UID")).isEqualTo(value(parsed.get(0), "UID"));
            assertThat(ics).contains("RECURRENCE-ID;TZID=Europe/Berlin:20270330T100000");
            assertThat(value(changed, "SUMMARY")).isEqualTo("Moved sync");
            assertThat(ics).contains("DTSTART;TZID=Europe/Berlin:20270330T120000");
            assertThat(value(changed, "SEQUENCE")).isEqualTo("3");
        }

        @Test
        void writesACancelWithStatusCancelledOnceCancelled() throws Exception {
            String ics = calendar.invite(meeting("Team Sync", weekly(), MeetingStatus.CANCELLED, 4), PEOPLE, null);

            Calendar parsed = parseValid(ics);
            assertThat(value(parsed, "METHOD")).isEqualTo("CANCEL");
            assertThat(value(events(parsed).get(0), "STATUS")).isEqualTo("CANCELLED");
            assertThat(value(events(parsed).get(0), "SEQUENCE")).isEqualTo("4");
        }

        @Test
        void escapesTextSoInjectedPropertiesStayText() throws Exception {
            String title = "Q3; review, <script>alert(1)</script>\r\nATTENDEE:mailto:evil@example.com";
            String ics = calendar.invite(meeting(title, MeetingSchedule.single(FIRST, FIRST.plusSeconds(60), BERLIN),
                    MeetingStatus.SCHEDULED, 0), PEOPLE, null);

            VEvent event = events(parseValid(ics)).get(0);
            assertThat(value(event, "SUMMARY")).isEqualTo(title.replace("\r\n", "\n"));
            assertThat(attendees(event)).doesNotContain("mailto:evil@example.com");
        }

        @Test
        void usesAPlaceholderAddressForAHostWithoutOne() throws Exception {
            String ics = calendar.invite(meeting("Sync", weekly(), MeetingStatus.SCHEDULED, 0), Map.of(), null);

            assertThat(value(events(parseValid(ics)).get(0), "ORGANIZER")).isEqualTo("mailto:host-1@tribune.invalid");
        }
    }

    @Nested
    class WhenWritingAFeed {

        @Test
        void writesEveryScheduledMeetingWithTheirZonesAndNoMethod() throws Exception {
            Meeting inTokyo = new Meeting("bbbbbbbbbbbbbbbbbbbb", 22345678901L, MeetingKind.TOWN_HALL, "host-1",
                    "All hands", MeetingSchedule.single(FIRST, FIRST.plusSeconds(600), ZoneId.of("Asia/Tokyo")),
                    MeetingSettings.defaults(MeetingKind.TOWN_HALL), false, 0, MeetingStatus.SCHEDULED, false, false,
                    new StoredPasscode(new byte[32], new byte[40]), List.of(), UPDATED, UPDATED);
            Meeting cancelled = meeting("Gone", weekly(), MeetingStatus.CANCELLED, 1);

            String ics = calendar.feed("Hanna Host", List.of(meeting("Team Sync", weekly(), MeetingStatus.SCHEDULED,
                    0), inTokyo, cancelled), PEOPLE);

            Calendar parsed = parseValid(ics);
            assertThat(parsed.getProperty("METHOD")).isEmpty();
            assertThat(value(parsed, "X-WR-CALNAME")).isEqualTo("Tribune: Hanna Host");
            assertThat(parsed.getComponents(Component.VTIMEZONE)).hasSize(2);
            assertThat(events(parsed)).extracting(e -> value(e, "SUMMARY")).containsExactly("Team Sync",
                    "All hands");
        }

        @Test
        void writesAValidEmptyFeed() throws Exception {
            Calendar parsed = parseValid(calendar.feed("Nobody", List.of(), Map.of()));

            assertThat(events(parsed)).isEmpty();
        }
    }
}
