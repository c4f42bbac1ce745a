package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.events.MeetingEvents;
import io.tribune.events.ParticipantEvents;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.tribune.api.resources.MeetingTestSupport.assertError;
import static io.tribune.api.resources.MeetingTestSupport.events;
import static io.tribune.api.resources.MeetingTestSupport.freeSlot;
import static io.tribune.api.resources.MeetingTestSupport.meeting;
import static io.tribune.api.resources.MeetingTestSupport.validCalendar;
import static io.tribune.api.resources.MeetingTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduling, reading, editing, cancelling and listing meetings over HTTP against the real platform, with the
 * events that reach Kafka and what erasing an account does to meetings. One app for the whole class; every test
 * uses its own accounts (or meetings at their own times), so tests do not depend on each other.
 */
@ExtendWith(PlatformExtension.class)
class MeetingsIT {

    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    static UserEventsRecorder events;

    MeetingTestSupport support;
    ApiClient api;

    @BeforeAll
    static void recordMeetingEvents() throws Exception {
        events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap(), Topics.MEETINGS, Topics.PARTICIPANTS);
    }

    @AfterAll
    static void stopRecording() throws InterruptedException {
        events.close();
    }

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    static String path(String meetingId) {
        return "/api/v1/meetings/" + meetingId;
    }

    @Nested
    class WhenScheduling {

        @Test
        void answers201WithTheSeedFieldsAnIdForLinksANumberAndAPasscode() {
            Account host = support.member();
            Account invitee = support.member();
            Instant start = freeSlot();

            Answer created = api.post("/api/v1/meetings", host.token(), Map.of(
                    "title", "Team Sync",
                    "start_time", start.toString(),
                    "end_time", start.plus(Duration.ofHours(1)).toString(),
                    "participants", List.of(invitee.id(), "outside@example.net"),
                    "host_id", host.id()));

            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            JsonNode body = created.json();
            String id = body.path("meeting_id").asText();
            assertThat(id).matches("[a-z2-7]{20}");
            assertThat(created.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(path(id)));
            assertThat(body.path("title").asText()).isEqualTo("Team Sync");
            assertThat(Instant.parse(body.path("start_time").asText())).isEqualTo(start);
            assertThat(Instant.parse(body.path("end_time").asText())).isEqualTo(start.plus(Duration.ofHours(1)));
            assertThat(body.path("host_id").asText()).isEqualTo(host.id());
            assertThat(body.path("participants")).extracting(JsonNode::asText)
                    .containsExactly(invitee.id(), "outside@example.net");
            assertThat(body.path("join_url").asText()).isEqualTo("http://127.0.0.1:8080/meetings/" + id);
            assertThat(body.path("numeric_id").asText()).matches("[1-9][0-9]{10}");
            assertThat(body.path("settings").path("passcode").asText()).matches("[0-9]{6}");
            assertThat(body.path("settings").path("lobby").asBoolean()).isTrue();
            assertThat(body.path("kind").asText()).isEqualTo("meeting");
            assertThat(body.path("time_zone").asText()).isEqualTo("UTC");
            assertThat(body.path("sequence").asInt()).isZero();
        }

        @Test
        void refusesToScheduleForSomeoneElse() {
            Account caller = support.member();
            Account other = support.member();

            assertError(api.post("/api/v1/meetings", caller.token(), meeting(other, freeSlot())), 403, "forbidden",
                    "host_id");
        }

        @Test
        void needsAnAccessToken() {
            Account host = support.member();

            assertThat(api.post("/api/v1/meetings", null, meeting(host, freeSlot())).status()).isEqualTo(401);
            assertThat(api.post("/api/v1/meetings", "not.a.token", meeting(host, freeSlot())).status())
                    .isEqualTo(401);
        }

        @Test
        void letsOnlyPlatformHostsAndAdminsScheduleTownHalls() {
            Account member = support.member();
            Account host = support.platformHost();
            Account admin = support.admin();

            assertError(api.post("/api/v1/meetings", member.token(),
                    meeting(member, freeSlot(), "kind", "town_hall")), 403, "town_hall_not_allowed", null);
            JsonNode townHall = support.create(host, "kind", "town_hall",
                    "participants", List.of(Map.of("user_id", member.id(), "role", "panelist"), "viewer@ex.org"));
            assertThat(townHall.path("kind").asText()).isEqualTo("town_hall");
            assertThat(townHall.path("invitees")).extracting(i -> i.path("role").asText())
                    .containsExactly("panelist", "attendee");
            assertThat(support.create(admin, "kind", "town_hall").path("kind").asText()).isEqualTo("town_hall");
        }

        @Test
        void startsAnInstantMeetingNowForTheDefaultHour() {
            Account host = support.member();
            Instant before = Instant.now().minusSeconds(1);

            JsonNode instant = support.create(host, Map.of("host_id", host.id(), "start_now", true));

            Instant start = Instant.parse(instant.path("start_time").asText());
            assertThat(start).isBetween(before, Instant.now().plusSeconds(1));
            assertThat(Duration.between(start, Instant.parse(instant.path("end_time").asText())))
                    .isEqualTo(Duration.ofMinutes(60));
            assertThat(instant.path("title").asText()).isEqualTo("Instant meeting");
        }

        @Test
        void readsLocalTimesInTheGivenZoneAndKeepsTheZone() {
            Account host = support.member();

            JsonNode created = support.create(host, Map.of("title", "Berlin", "host_id", host.id(),
                    "start_time", "2031-07-01T10:00:00", "end_time", "2031-07-01T11:00:00",
                    "time_zone", "Europe/Berlin", "allow_overlap", true));

            assertThat(created.path("start_time").asText()).isEqualTo("2031-07-01T08:00:00Z");
            assertThat(created.path("time_zone").asText()).isEqualTo("Europe/Berlin");
        }

        @Test
        void keepsInjectionStringsVerbatimInJsonAndEscapedInIcs() {
            Account host = support.member();
            String title = "'); DROP TABLE meetings; -- <script>alert(\"x\")</script>, ok; done";

            JsonNode created = support.create(host, "title", title);
            Answer read = api.get(path(created.path("meeting_id").asText()), host.token());
            Answer ics = api.get(path(created.path("meeting_id").asText()) + "/invite.ics", host.token());

            assertThat(read.json().path("title").asText()).isEqualTo(title);
            assertThat(read.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                    "application/json"));
            assertThat(value(events(validCalendar(ics.body())).get(0), "SUMMARY")).isEqualTo(title);
            assertThat(ics.body().replace("\r\n ", "")).as("unfolded (RFC 5545 section 3.1)")
                    .contains("DROP TABLE meetings\\; -- <script>alert(\"x\")</script>\\, ok\\; done");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "malformed JSON|`{\"title\": \"x\",`|400|invalid_json|",
                "a JSON array|`[1, 2]`|400|invalid_json|",
                "title missing|`{\"start_time\":\"2031-01-01T10:00:00Z\",\"end_time\":\"2031-01-01T11:00:00Z\"}`"
                        + "|400|validation_failed|title",
                "title blank|`{\"title\":\"  \",\"start_time\":\"2031-01-01T10:00:00Z\"}`|400|validation_failed|title",
                "title a number|`{\"title\":42,\"start_time\":\"2031-01-01T10:00:00Z\"}`|400|invalid_json|title",
                "title with a line break|`{\"title\":\"a\\nb\",\"start_time\":\"2031-01-01T10:00:00Z\"}`"
                        + "|400|validation_failed|title",
                "start_time not a time|`{\"title\":\"t\",\"start_time\":\"next tuesday\"}`|400|validation_failed"
                        + "|start_time",
                "start_time missing|`{\"title\":\"t\"}`|400|validation_failed|start_time",
                "end before start|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"end_time\":\"2031-01-01T09:00:00Z\"}`|400|validation_failed|end_time",
                "longer than a day|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"end_time\":\"2031-01-03T10:00:00Z\"}`|400|validation_failed|end_time",
                "unknown time zone|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00\","
                        + "\"time_zone\":\"Mars/Olympus\"}`|400|validation_failed|time_zone",
                "bad RRULE|`{\"title\":\"t\",\"start_time\":\"2031-01-06T10:00:00Z\","
                        + "\"recurrence\":\"FREQ=SOMETIMES\"}`|400|validation_failed|recurrence",
                "unbounded RRULE|`{\"title\":\"t\",\"start_time\":\"2031-01-06T10:00:00Z\","
                        + "\"recurrence\":\"FREQ=DAILY\"}`|400|validation_failed|recurrence",
                "unknown kind|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\",\"kind\":\"party\"}`"
                        + "|400|validation_failed|kind",
                "participants not a list|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"participants\":\"bob\"}`|400|invalid_json|participants",
                "participant a number|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"participants\":[7]}`|400|validation_failed|participants[0]",
                "unknown user id|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"participants\":[\"00000000-0000-0000-0000-000000000000\"]}`|400|validation_failed"
                        + "|participants[0]",
                "bad email|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"participants\":[\"a@b\"]}`|400|validation_failed|participants[0]",
                "bad role|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"participants\":[{\"email\":\"a@example.org\",\"role\":\"host\"}]}`|400"
                        + "|validation_failed|participants[0].role",
                "attendee in a meeting|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"participants\":[{\"email\":\"a@example.org\",\"role\":\"attendee\"}]}`|400"
                        + "|validation_failed|participants[0].role",
                "short passcode|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"settings\":{\"passcode\":\"12\"}}`|400|validation_failed|settings.passcode",
                "zero capacity|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"settings\":{\"max_participants\":0}}`|400|validation_failed|settings.max_participants",
                "settings not an object|`{\"title\":\"t\",\"start_time\":\"2031-01-01T10:00:00Z\","
                        + "\"settings\":true}`|400|invalid_json|settings"})
        void answersA4xxNamingTheFieldForBadInput(String description, String body, int status, String code,
                                                  String field) {
            Account host = support.member();

            assertError(api.post("/api/v1/meetings", host.token(), body), status, code, field);
        }

        @Test
        void refusesATitleLongerThan200Characters() {
            Account host = support.member();

            assertError(api.post("/api/v1/meetings", host.token(), meeting(host, freeSlot(), "title",
                    "x".repeat(201))), 400, "validation_failed", "title");
            assertThat(support.create(host, "title", "x".repeat(200)).path("title").asText()).hasSize(200);
        }

        @Test
        void refusesMoreThan500Participants() {
            Account host = support.member();
            List<String> many = IntStream.range(0, 501).mapToObj(i -> "p" + i + "@example.org").toList();

            assertError(api.post("/api/v1/meetings", host.token(), meeting(host, freeSlot(), "participants", many)),
                    400, "validation_failed", "participants");
            assertThat(support.create(host, "participants", many.subList(0, 500)).path("participants").size())
                    .isEqualTo(500);
        }
    }

    @Nested
    class WhenTimesOverlap {

        @Test
        void answers409NamingTheConflictingMeeting() {
            Account host = support.member();
            Instant start = freeSlot();
            JsonNode first = support.create(host, meeting(host, start, "title", "First", "allow_overlap", false));

            Answer second = api.post("/api/v1/meetings", host.token(), meeting(host,
                    start.plus(Duration.ofMinutes(30)), "allow_overlap", false));

            assertError(second, 409, "meeting_conflict", "conflicts");
            JsonNode conflict = second.json().path("details").path("conflicts").get(0);
            assertThat(conflict.path("meeting_id").asText()).isEqualTo(first.path("meeting_id").asText());
            assertThat(conflict.path("title").asText()).isEqualTo("First");
            assertThat(Instant.parse(conflict.path("start_time").asText())).isEqualTo(start);
            assertThat(Instant.parse(conflict.path("end_time").asText())).isEqualTo(start.plus(Duration.ofHours(1)));
        }

        @Test
        void schedulesItAnywayWithAllowOverlapAndNeverAcrossHosts() {
            Account host = support.member();
            Account other = support.member();
            Instant start = freeSlot();
            support.create(host, meeting(host, start, "allow_overlap", false));

            assertThat(api.post("/api/v1/meetings", host.token(), meeting(host, start, "allow_overlap", true))
                    .status()).isEqualTo(201);
            assertThat(api.post("/api/v1/meetings", other.token(), meeting(other, start, "allow_overlap", false))
                    .status()).isEqualTo(201);
        }

        @Test
        void letsMeetingsThatOnlyTouchBeBackToBack() {
            Account host = support.member();
            Instant start = freeSlot();
            support.create(host, meeting(host, start, "allow_overlap", false));

            assertThat(api.post("/api/v1/meetings", host.token(), meeting(host, start.plus(Duration.ofHours(1)),
                    "allow_overlap", false)).status()).isEqualTo(201);
        }

        @Test
        void findsTheOverlapWithALaterOccurrenceOfASeries() {
            Account host = support.member();
            Instant start = freeSlot();
            support.create(host, meeting(host, start, "recurrence", "FREQ=WEEKLY;COUNT=5", "allow_overlap", false));
            Instant fourth = start.plus(Duration.ofDays(21));

            Answer clash = api.post("/api/v1/meetings", host.token(), meeting(host, fourth.plusSeconds(900),
                    "allow_overlap", false));

            assertError(clash, 409, "meeting_conflict", "conflicts");
            assertThat(clash.json().path("details").path("conflicts").get(0).path("start_time").asText())
                    .isEqualTo(fourth.toString());
        }

        @Test
        void letsExactlyOneOfEightConcurrentOverlappingCreatesWin() throws Exception {
            Account host = support.member();
            Instant start = freeSlot();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch ready = new CountDownLatch(8);
            try {
                List<Callable<Integer>> creates = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Instant mine = start.plus(Duration.ofMinutes(5L * i));
                    creates.add(() -> {
                        ready.countDown();
                        ready.await();
                        return api.post("/api/v1/meetings", host.token(), meeting(host, mine, "allow_overlap",
                                false)).status();
                    });
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : pool.invokeAll(creates)) {
                    statuses.add(result.get());
                }

                assertThat(Collections.frequency(statuses, 201)).as(statuses.toString()).isEqualTo(1);
                assertThat(Collections.frequency(statuses, 409)).as(statuses.toString()).isEqualTo(7);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void checksAnEditThatMovesAMeetingOntoAnother() {
            Account host = support.member();
            Instant start = freeSlot();
            support.create(host, meeting(host, start, "allow_overlap", false));
            JsonNode later = support.create(host, meeting(host, start.plus(Duration.ofHours(2)),
                    "allow_overlap", false));

            Answer moved = api.patch(path(later.path("meeting_id").asText()), host.token(),
                    Map.of("start_time", start.plus(Duration.ofMinutes(30)).toString()));

            assertError(moved, 409, "meeting_conflict", "conflicts");
        }
    }

    @Nested
    class WhenRecurring {

        /** A weekly series on Tuesdays at 10:00 Berlin time from 2031-03-11, across the switch on 30 March. */
        JsonNode weeklyInBerlin(Account host) {
            return support.create(host, Map.of("title", "Weekly planning", "host_id", host.id(),
                    "start_time", "2031-03-11T10:00:00", "end_time", "2031-03-11T11:00:00",
                    "time_zone", "Europe/Berlin", "recurrence", "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
                    "allow_overlap", true));
        }

        List<JsonNode> listed(Account account, String from, String to) {
            Answer list = api.get("/api/v1/meetings?from=" + from + "&to=" + to + "&size=200", account.token());
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            List<JsonNode> items = new ArrayList<>();
            list.json().path("items").forEach(items::add);
            return items;
        }

        @Test
        void keepsAWeeklyBerlinSeriesAtTenLocalTimeAcrossTheDaylightSavingSwitch() {
            Account host = support.member();
            weeklyInBerlin(host);

            List<JsonNode> items = listed(host, "2031-03-01T00:00:00Z", "2031-05-01T00:00:00Z");

            assertThat(items).hasSize(6);
            assertThat(items).extracting(i -> Instant.parse(i.path("start_time").asText())
                    .atZone(ZoneId.of("Europe/Berlin")).toLocalTime()).containsOnly(LocalTime.of(10, 0));
            assertThat(items).extracting(i -> i.path("start_time").asText()).containsExactly(
                    "2031-03-11T09:00:00Z", "2031-03-18T09:00:00Z", "2031-03-25T09:00:00Z",
                    "2031-04-01T08:00:00Z", "2031-04-08T08:00:00Z", "2031-04-15T08:00:00Z");
        }

        @Test
        void movesOneOccurrenceWithoutTouchingTheOthersAndRaisesTheSequence() {
            Account host = support.member();
            String id = weeklyInBerlin(host).path("meeting_id").asText();

            Answer edited = api.patch(path(id), host.token(), Map.of("occurrence", "2031-03-18T09:00:00Z",
                    "start_time", "2031-03-19T15:00:00", "end_time", "2031-03-19T15:30:00", "title", "Moved"));

            assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
            assertThat(edited.json().path("sequence").asInt()).isEqualTo(1);
            assertThat(edited.json().path("title").asText()).isEqualTo("Weekly planning");
            List<JsonNode> items = listed(host, "2031-03-01T00:00:00Z", "2031-05-01T00:00:00Z");
            assertThat(items).extracting(i -> i.path("start_time").asText()).containsExactly(
                    "2031-03-11T09:00:00Z", "2031-03-19T14:00:00Z", "2031-03-25T09:00:00Z",
                    "2031-04-01T08:00:00Z", "2031-04-08T08:00:00Z", "2031-04-15T08:00:00Z");
            JsonNode moved = items.get(1);
            assertThat(moved.path("title").asText()).isEqualTo("Moved");
            assertThat(moved.path("occurrence").asText()).isEqualTo("2031-03-18T09:00:00Z");
            assertThat(moved.path("modified").asBoolean()).isTrue();
            Calendar ics = validCalendar(api.get(path(id) + "/invite.ics", host.token()).body());
            assertThat(events(ics)).hasSize(2);
            assertThat(value(events(ics).get(1), "RECURRENCE-ID")).isEqualTo("20310318T100000");
            assertThat(value(events(ics).get(0), "SEQUENCE")).isEqualTo("1");
        }

        @Test
        void renamesTheWholeSeriesWithoutAnOccurrence() {
            Account host = support.member();
            String id = weeklyInBerlin(host).path("meeting_id").asText();

            Answer edited = api.patch(path(id), host.token(), Map.of("title", "Renamed"));

            assertThat(edited.json().path("sequence").asInt()).isEqualTo(1);
            assertThat(listed(host, "2031-03-01T00:00:00Z", "2031-05-01T00:00:00Z"))
                    .extracting(i -> i.path("title").asText()).containsOnly("Renamed");
        }

        @Test
        void cancelsOneOccurrenceAsAnExdate() {
            Account host = support.member();
            String id = weeklyInBerlin(host).path("meeting_id").asText();

            Answer cancelled = api.delete(path(id) + "?occurrence=2031-03-25T09:00:00Z", host.token());

            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
            assertThat(cancelled.json().path("message").asText()).isEqualTo("Occurrence cancelled successfully");
            assertThat(listed(host, "2031-03-01T00:00:00Z", "2031-05-01T00:00:00Z"))
                    .extracting(i -> i.path("start_time").asText()).doesNotContain("2031-03-25T09:00:00Z")
                    .hasSize(5);
            String ics = api.get(path(id) + "/invite.ics", host.token()).body();
            validCalendar(ics);
            assertThat(ics).contains("EXDATE;TZID=Europe/Berlin:20310325T100000").contains("METHOD:REQUEST");
            assertError(api.delete(path(id) + "?occurrence=2031-03-25T09:00:00Z", host.token()), 409,
                    "occurrence_cancelled", "occurrence");
        }

        @Test
        void answers404ForAnInstantThatIsNoOccurrence() {
            Account host = support.member();
            String id = weeklyInBerlin(host).path("meeting_id").asText();

            assertError(api.patch(path(id), host.token(), Map.of("occurrence", "2031-03-12T09:00:00Z",
                    "title", "x")), 404, "occurrence_not_found", "occurrence");
            assertError(api.patch(path(id), host.token(), Map.of("occurrence", "2031-03-18T09:00:00Z",
                    "participants", List.of())), 400, "validation_failed", "participants");
        }
    }

    @Nested
    class WhenListing {

        @Test
        void pagesThroughMeetingsIHostOrAmInvitedToInOrder() {
            Account host = support.member();
            Account invitee = support.member();
            Instant start = freeSlot();
            for (int i = 0; i < 3; i++) {
                support.create(host, meeting(host, start.plus(Duration.ofHours(i)), "title", "M" + i,
                        "participants", List.of(invitee.id())));
            }
            String window = "from=" + start + "&to=" + start.plus(Duration.ofDays(1));

            Answer first = api.get("/api/v1/meetings?" + window + "&page=1&size=2", invitee.token());
            Answer second = api.get("/api/v1/meetings?" + window + "&page=2&size=2", invitee.token());

            assertThat(first.json().path("total").asInt()).isEqualTo(3);
            assertThat(first.json().path("items")).extracting(i -> i.path("title").asText())
                    .containsExactly("M0", "M1");
            assertThat(second.json().path("items")).extracting(i -> i.path("title").asText()).containsExactly("M2");
            assertThat(second.json().path("items").get(0).path("role").asText()).isEqualTo("participant");
        }

        @Test
        void showsMeetingsInvitedByEmailToTheAccountWithThatAddress() {
            Account host = support.member();
            String email = "later" + System.nanoTime() + "@Example.org";
            Instant start = freeSlot();
            String id = support.create(host, meeting(host, start, "participants", List.of(email)))
                    .path("meeting_id").asText();

            Account invitee = support.register("later" + System.nanoTime(), email.toLowerCase());

            Answer listed = api.get("/api/v1/meetings?from=" + start + "&to=" + start.plus(Duration.ofDays(1)),
                    invitee.token());
            assertThat(listed.json().path("items")).extracting(i -> i.path("meeting_id").asText())
                    .containsExactly(id);
            assertThat(api.get(path(id), invitee.token()).status()).isEqualTo(200);
        }

        @Test
        void leavesOutCancelledMeetings() {
            Account host = support.member();
            Instant start = freeSlot();
            String id = support.create(host, meeting(host, start)).path("meeting_id").asText();
            api.delete(path(id), host.token());

            Answer listed = api.get("/api/v1/meetings?from=" + start + "&to=" + start.plus(Duration.ofDays(1)),
                    host.token());

            assertThat(listed.json().path("total").asInt()).isZero();
        }

        @ParameterizedTest
        @CsvSource({"from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z,to",
                "from=2031-01-01T00:00:00Z&to=2033-01-01T00:00:00Z,to",
                "from=yesterday,from",
                "page=0,page",
                "size=1000,size",
                "size=ten,size"})
        void refusesABadWindowOrPage(String query, String field) {
            Account someone = support.member();

            assertError(api.get("/api/v1/meetings?" + query, someone.token()), 400, "validation_failed", field);
        }
    }

    @Nested
    class WhenCancelling {

        @Test
        void answersTheSeedMessageAndKeepsTheMeetingReadableAsCancelled() {
            Account host = support.member();
            String id = support.create(host).path("meeting_id").asText();

            Answer cancelled = api.delete(path(id), host.token());

            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.json().path("message").asText()).isEqualTo("Meeting cancelled successfully");
            JsonNode read = api.get(path(id), host.token()).json();
            assertThat(read.path("status").asText()).isEqualTo("cancelled");
            assertThat(read.path("sequence").asInt()).isEqualTo(1);
            assertError(api.delete(path(id), host.token()), 409, "meeting_cancelled", "meeting_id");
            assertError(api.patch(path(id), host.token(), Map.of("title", "x")), 409, "meeting_cancelled", null);
        }

        @Test
        void answers404ForAMeetingThatDoesNotExist() {
            Account someone = support.member();

            assertError(api.get(path("aaaaaaaaaaaaaaaaaaaa"), someone.token()), 404, "meeting_not_found", null);
            assertError(api.delete(path("67890"), someone.token()), 404, "meeting_not_found", null);
        }
    }

    /**
     * Who may do what, for each endpoint: a fresh meeting (host, one co-host, one participant) per row, called
     * by each kind of caller ("guest": no account, a display name). Strangers get 404 rather than 403 so that a
     * meeting id reveals nothing; joining by link is the exception: anyone with the passcode may.
     */
    @Nested
    class RoleMatrix {

        /** The people of the matrix, made once: each row makes its own meeting with them. */
        record Cast(Account host, Account coHost, Account invitee, Account stranger, Account admin, Account extra) {
        }

        private static Cast cast;

        private static synchronized Cast cast(MeetingTestSupport support) {
            if (cast == null) {
                cast = new Cast(support.member(), support.member(), support.member(), support.member(),
                        support.admin(), support.member());
            }
            return cast;
        }

        @ParameterizedTest(name = "{0} by {1} -> {2}")
        @CsvSource({
                "get, anonymous, 401", "get, host, 200", "get, co_host, 200", "get, invitee, 200",
                "get, stranger, 404", "get, admin, 200",
                "edit, anonymous, 401", "edit, host, 200", "edit, co_host, 200", "edit, invitee, 403",
                "edit, stranger, 404", "edit, admin, 403",
                "cancel, anonymous, 401", "cancel, host, 200", "cancel, co_host, 403", "cancel, invitee, 403",
                "cancel, stranger, 404", "cancel, admin, 200",
                "invite.ics, anonymous, 401", "invite.ics, host, 200", "invite.ics, co_host, 200",
                "invite.ics, invitee, 200", "invite.ics, stranger, 404", "invite.ics, admin, 200",
                "lock, anonymous, 401", "lock, host, 200", "lock, co_host, 200", "lock, invitee, 403",
                "lock, stranger, 404", "lock, admin, 403",
                "lobby, anonymous, 401", "lobby, host, 200", "lobby, co_host, 200", "lobby, invitee, 403",
                "lobby, stranger, 404", "lobby, admin, 403",
                "role, anonymous, 401", "role, host, 200", "role, co_host, 200", "role, invitee, 403",
                "role, stranger, 404", "role, admin, 403",
                "ban, anonymous, 401", "ban, host, 200", "ban, co_host, 200", "ban, invitee, 403",
                "ban, stranger, 404", "ban, admin, 403",
                "get, guest, 401", "join, guest, 401", "join, host, 200", "join, co_host, 200", "join, invitee, 202",
                "join, stranger, 403", "join, admin, 403"})
        void enforcesTheRoleOfTheCaller(String endpoint, String actor, int expected) {
            Cast people = cast(support);
            Account host = people.host();
            Account coHost = people.coHost();
            Account invitee = people.invitee();
            Account stranger = people.stranger();
            Account admin = people.admin();
            Account extra = people.extra();
            JsonNode created = support.create(host, "participants", List.of(
                    Map.of("user_id", coHost.id(), "role", "co_host"), invitee.id(), extra.id()));
            String id = created.path("meeting_id").asText();
            String token = switch (actor) {
                case "anonymous", "guest" -> null;
                case "host" -> host.token();
                case "co_host" -> coHost.token();
                case "invitee" -> invitee.token();
                case "stranger" -> stranger.token();
                case "admin" -> admin.token();
                default -> throw new IllegalArgumentException(actor);
            };

            Answer answer = switch (endpoint) {
                case "get" -> api.get(path(id), token);
                case "edit" -> api.patch(path(id), token, Map.of("title", "Edited"));
                case "cancel" -> api.delete(path(id), token);
                case "invite.ics" -> api.send("GET", path(id) + "/invite.ics", token, null);
                case "lock" -> api.post(path(id) + "/lock", token, null);
                case "lobby" -> api.get(path(id) + "/lobby", token);
                case "role" -> api.send("PUT", path(id) + "/participants/" + extra.id() + "/role", token,
                        Map.of("role", "participant"));
                case "ban" -> api.post(path(id) + "/participants/" + extra.id() + "/ban", token, null);
                // Without a passcode; by default invitees wait for the host, guests are not admitted.
                case "join" -> api.post(path(id) + "/join", token, actor.equals("guest")
                        ? Map.of("display_name", "Guest") : Map.of());
                default -> throw new IllegalArgumentException(endpoint);
            };

            assertThat(answer.status()).as(answer.toString()).isEqualTo(expected);
            if (expected == 200 && endpoint.equals("get")) {
                boolean moderator = actor.equals("host") || actor.equals("co_host");
                assertThat(answer.json().path("settings").has("passcode")).as(actor).isEqualTo(moderator);
            }
        }

        @Test
        void letsCoHostsNotMakeOrUnmakeCoHosts() {
            Account host = support.member();
            Account coHost = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(
                    Map.of("user_id", coHost.id(), "role", "co_host"), invitee.id())).path("meeting_id").asText();

            assertError(api.send("PUT", path(id) + "/participants/" + invitee.id() + "/role", coHost.token(),
                    Map.of("role", "co_host")), 403, "forbidden", null);
            Answer byHost = api.send("PUT", path(id) + "/participants/" + invitee.id() + "/role", host.token(),
                    Map.of("role", "co_host"));
            assertThat(byHost.status()).as(byHost.toString()).isEqualTo(200);
            assertThat(api.get(path(id), invitee.token()).json().path("settings").has("passcode")).isTrue();
        }
    }

    @Nested
    class WhenEventsArePublished {

        @Test
        void publishesScheduledUpdatedAndCancelledWithRisingSequences() {
            Account host = support.member();
            Account invitee = support.member();
            JsonNode created = support.create(host, "participants", List.of(invitee.id(), "guest@example.net"),
                    "recurrence", "FREQ=DAILY;COUNT=3");
            String id = created.path("meeting_id").asText();
            Instant second = Instant.parse(created.path("start_time").asText()).plus(Duration.ofDays(1));
            api.patch(path(id), host.token(), Map.of("occurrence", second.toString(), "title", "Second only"));
            api.delete(path(id), host.token());

            MeetingEvents.Scheduled scheduled = events.await(MeetingEvents.Scheduled.class,
                    e -> e.meetingId().equals(id), EVENT_TIMEOUT);
            MeetingEvents.Updated updated = events.await(MeetingEvents.Updated.class,
                    e -> e.meetingId().equals(id), EVENT_TIMEOUT);
            MeetingEvents.Cancelled cancelled = events.await(MeetingEvents.Cancelled.class,
                    e -> e.meetingId().equals(id), EVENT_TIMEOUT);

            assertThat(scheduled.sequence()).isZero();
            assertThat(scheduled.recurrence()).isEqualTo("FREQ=DAILY;COUNT=3");
            assertThat(scheduled.invitees()).containsExactly(
                    new MeetingEvents.Invitee(invitee.id(), invitee.email(), "participant"),
                    new MeetingEvents.Invitee(null, "guest@example.net", "participant"));
            assertThat(updated.sequence()).isEqualTo(1);
            assertThat(updated.occurrence()).isEqualTo(second);
            assertThat(updated.title()).isEqualTo("Second only");
            assertThat(cancelled.sequence()).isEqualTo(2);
            assertThat(cancelled.occurrence()).isNull();
        }

        @Test
        void publishesRoleChangesOnTheParticipantsTopic() {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(invitee.id())).path("meeting_id").asText();

            api.send("PUT", path(id) + "/participants/" + invitee.id() + "/role", host.token(),
                    Map.of("role", "co_host"));

            ParticipantEvents.RoleChanged changed = events.await(ParticipantEvents.RoleChanged.class,
                    e -> e.meetingId().equals(id), EVENT_TIMEOUT);
            assertThat(changed.participantId()).isEqualTo(invitee.id());
            assertThat(changed.role()).isEqualTo("co_host");
            assertThat(changed.changedBy()).isEqualTo(host.id());
        }
    }

    @Nested
    class WhenAnAccountIsErased {

        @Test
        void handsMeetingsToACoHostCancelsTheRestAndDropsItsInvitations() {
            Account host = support.member();
            Account coHost = support.member();
            Account other = support.member();
            String handed = support.create(host, "participants", List.of(
                    Map.of("user_id", coHost.id(), "role", "co_host"))).path("meeting_id").asText();
            String alone = support.create(host).path("meeting_id").asText();
            String invitedTo = support.create(other, "participants", List.of(host.id())).path("meeting_id")
                    .asText();

            assertThat(api.delete("/api/v1/users/" + host.id(), host.token()).status()).isEqualTo(204);

            JsonNode handedOver = api.get(path(handed), coHost.token()).json();
            assertThat(handedOver.path("host_id").asText()).isEqualTo(coHost.id());
            assertThat(handedOver.path("role").asText()).isEqualTo("host");
            assertThat(handedOver.path("participants")).isEmpty();
            JsonNode invitation = api.get(path(invitedTo), other.token()).json();
            assertThat(invitation.path("participants")).isEmpty();
            assertThat(invitation.path("sequence").asInt()).isEqualTo(1);
            events.await(MeetingEvents.Cancelled.class, e -> e.meetingId().equals(alone), EVENT_TIMEOUT);
            events.await(ParticipantEvents.RoleChanged.class,
                    e -> e.meetingId().equals(handed) && e.role().equals("host"), EVENT_TIMEOUT);
        }

        @Test
        void exportsTheMeetingsAnAccountHostsAndIsInvitedTo() {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "title", "Exported", "participants", List.of(invitee.id()))
                    .path("meeting_id").asText();

            Answer export = api.get("/api/v1/users/" + invitee.id() + "/export", invitee.token());

            assertThat(export.status()).as(export.toString()).isEqualTo(200);
            JsonNode section = export.json().path("meetings");
            assertThat(section.path("invitations")).extracting(i -> i.path("meeting_id").asText())
                    .containsExactly(id);
            assertThat(section.path("invitations").get(0).path("role").asText()).isEqualTo("participant");
            JsonNode hosts = api.get("/api/v1/users/" + host.id() + "/export", host.token()).json().path("meetings");
            assertThat(hosts.path("hosted")).extracting(h -> h.path("title").asText()).containsExactly("Exported");
            assertThat(hosts.toString()).doesNotContain("passcode");
        }
    }
}
