package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.HttpTestClient;
import io.tribune.api.TestApps;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.common.token.InvalidTokenException;
import io.tribune.common.token.TokenVerifier;
import io.tribune.common.token.VerifiedToken;
import io.tribune.platform.PlatformExtension;
import net.fortuna.ical4j.model.Calendar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.tribune.api.resources.MeetingTestSupport.assertError;
import static io.tribune.api.resources.MeetingTestSupport.events;
import static io.tribune.api.resources.MeetingTestSupport.validCalendar;
import static io.tribune.api.resources.MeetingTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Joining meetings (by link, by number, as a guest), the lobby, locks, capacity, failed-join limits, calendar
 * files and feeds, and personal rooms, over HTTP against the real platform. One app for the whole class; every
 * test uses its own accounts, meetings and client addresses.
 */
@ExtendWith(PlatformExtension.class)
class MeetingJoinIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    MeetingTestSupport support;
    ApiClient api;

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    static String path(String meetingId) {
        return "/api/v1/meetings/" + meetingId;
    }

    /** Settings for a meeting people enter at once: no lobby, no waiting for the host. */
    static Map<String, Object> open(Object... more) {
        Map<String, Object> settings = new LinkedHashMap<>(Map.of("lobby", false, "join_before_host", true));
        for (int i = 0; i < more.length; i += 2) {
            settings.put((String) more[i], more[i + 1]);
        }
        return settings;
    }

    Answer join(String meetingId, String token, Map<String, Object> body) {
        return api.post(path(meetingId) + "/join", token, body);
    }

    Answer joinAs(Account account, String meetingId) {
        return join(meetingId, account.token(), Map.of("user_id", account.id()));
    }

    Answer poll(String meetingId, String participantId, String lobbyToken) {
        return api.send("GET", path(meetingId) + "/lobby/" + participantId, null, null,
                "X-Lobby-Token", lobbyToken);
    }

    /** Verifies a join token the way the SFU will: against the published JWKS, offline. */
    VerifiedToken verify(String token, String audience) throws InvalidTokenException {
        JWKSet keys;
        try {
            keys = JWKSet.parse(api.get("/api/v1/.well-known/jwks.json", null).body());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
        TokenVerifier verifier = new TokenVerifier(kid -> Optional.ofNullable((ECKey) keys.getKeyByKeyId(kid)),
                APP.getConfiguration().tokenIssuer(), Clock.systemUTC(), Duration.ofSeconds(5));
        return verifier.verify(token, audience);
    }

    @Nested
    class WhenAnInviteeJoins {

        @Test
        void getsASignedOneTimeTokenForTheSfuAndTheChannel() throws Exception {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(invitee.id()), "settings", open())
                    .path("meeting_id").asText();

            Answer joined = joinAs(invitee, id);

            assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
            JsonNode body = joined.json();
            assertThat(body.path("meeting_id").asText()).isEqualTo(id);
            assertThat(body.path("user_id").asText()).isEqualTo(invitee.id());
            assertThat(body.path("join_url").asText()).isEqualTo("http://127.0.0.1:8080/meetings/" + id + "/join");
            assertThat(body.path("signaling_url").asText()).isEqualTo("ws://127.0.0.1:7880/signal");
            assertThat(body.has("hls_url")).isFalse();
            assertThat(body.path("ice_servers")).hasSize(2);
            assertThat(body.path("ice_servers").get(1).path("username").asText()).isEqualTo("tribune-test");
            assertThat(body.path("role").asText()).isEqualTo("participant");
            assertThat(body.path("permissions")).extracting(JsonNode::asText)
                    .containsExactly("publish", "subscribe", "screenshare", "chat");
            VerifiedToken token = verify(body.path("join_token").asText(), "sfu");
            assertThat(token.subject()).isEqualTo(invitee.id());
            assertThat(token.audience()).containsExactlyInAnyOrder("sfu", "channel");
            assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofMinutes(2));
            assertThat(token.id()).isNotBlank();
            assertThat(token.string("room")).isEqualTo(id);
            assertThat(token.string("role")).isEqualTo("participant");
            assertThat(token.strings("permissions")).containsExactly("publish", "subscribe", "screenshare", "chat");
            assertThat(token.string("name")).isEqualTo(invitee.username());
            assertThat(token.string("node")).isEqualTo("sfu-test-1");
            assertThat(verify(body.path("join_token").asText(), "channel").id()).isEqualTo(token.id());
            assertThat(verify(joinAs(invitee, id).json().path("join_token").asText(), "sfu").id())
                    .as("every join gets a new one-time jti").isNotEqualTo(token.id());
        }

        @Test
        void makesTamperedJoinTokensFailVerification() {
            Account host = support.member();
            String id = support.create(host, "settings", open()).path("meeting_id").asText();
            String token = joinAs(host, id).json().path("join_token").asText();
            String[] parts = token.split("\\.");
            String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];

            assertThatThrownBy(() -> verify(tampered, "sfu")).isInstanceOf(InvalidTokenException.class);
            assertThatThrownBy(() -> verify(token, "recorder")).isInstanceOf(InvalidTokenException.class);
        }

        @Test
        void letsTheHostInAsHostWithModerationAndRecording() {
            Account host = support.member();
            String id = support.create(host).path("meeting_id").asText();

            JsonNode joined = joinAs(host, id).json();

            assertThat(joined.path("role").asText()).isEqualTo("host");
            assertThat(joined.path("permissions")).extracting(JsonNode::asText).contains("moderate", "record");
        }

        @Test
        void refusesAUserIdThatIsNotTheCallersAndABrokenToken() {
            Account host = support.member();
            Account other = support.member();
            String id = support.create(host, "settings", open("allow_guests", true)).path("meeting_id").asText();

            assertError(join(id, host.token(), Map.of("user_id", other.id())), 403, "forbidden", "user_id");
            assertError(join(id, "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", Map.of("display_name", "Mallory")), 401,
                    "invalid_token", null);
            assertError(join(id, null, Map.of("user_id", host.id())), 401, "unauthorized", "user_id");
        }

        @Test
        void waitsForTheHostWhenJoiningBeforeHostIsOff() {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(invitee.id()),
                    "settings", Map.of("lobby", true, "join_before_host", false)).path("meeting_id").asText();

            Answer early = joinAs(invitee, id);

            assertThat(early.status()).as(early.toString()).isEqualTo(202);
            assertThat(early.json().path("status").asText()).isEqualTo("lobby");
            assertThat(early.json().path("reason").asText()).isEqualTo("waiting_for_host");
            String ticket = early.json().path("lobby_token").asText();
            assertThat(poll(id, invitee.id(), ticket).status()).isEqualTo(202);
            assertThat(joinAs(host, id).status()).isEqualTo(200);
            Answer admitted = poll(id, invitee.id(), ticket);
            assertThat(admitted.status()).as(admitted.toString()).isEqualTo(200);
            assertThat(admitted.json().path("role").asText()).isEqualTo("participant");
            assertThat(poll(id, invitee.id(), ticket).status()).as("the ticket is used up").isEqualTo(404);
        }
    }

    @Nested
    class WhenSomeoneUninvitedJoins {

        @Test
        void needsThePasscodeThenWaitsInTheLobbyUntilAdmitted() {
            Account host = support.member();
            Account stranger = support.member();
            JsonNode meeting = support.create(host, "settings", Map.of("join_before_host", true));
            String id = meeting.path("meeting_id").asText();
            String passcode = meeting.path("settings").path("passcode").asText();

            assertError(joinAs(stranger, id), 403, "passcode_required", "passcode");
            assertError(join(id, stranger.token(), Map.of("passcode", "000000x")), 403, "invalid_passcode",
                    "passcode");
            Answer waiting = join(id, stranger.token(), Map.of("user_id", stranger.id(), "passcode", passcode));

            assertThat(waiting.status()).as(waiting.toString()).isEqualTo(202);
            assertThat(waiting.json().path("reason").asText()).isEqualTo("awaiting_admission");
            String ticket = waiting.json().path("lobby_token").asText();
            assertThat(waiting.json().path("poll_url").asText()).endsWith(path(id) + "/lobby/" + stranger.id());
            assertThat(poll(id, stranger.id(), ticket).status()).isEqualTo(202);
            assertThat(poll(id, stranger.id(), "wrong-ticket").status()).isEqualTo(404);
            JsonNode lobby = api.get(path(id) + "/lobby", host.token()).json();
            assertThat(lobby.path("waiting")).extracting(w -> w.path("participant_id").asText())
                    .containsExactly(stranger.id());
            assertThat(api.post(path(id) + "/lobby/" + stranger.id() + "/admit", host.token(), null).status())
                    .isEqualTo(200);
            Answer admitted = poll(id, stranger.id(), ticket);
            assertThat(admitted.status()).as(admitted.toString()).isEqualTo(200);
            assertThat(admitted.json().path("role").asText()).isEqualTo("participant");
        }

        @Test
        void isToldNoWhenTheHostDenies() {
            Account host = support.member();
            Account stranger = support.member();
            JsonNode meeting = support.create(host, "settings", Map.of("join_before_host", true));
            String id = meeting.path("meeting_id").asText();
            String ticket = join(id, stranger.token(), Map.of("passcode",
                    meeting.path("settings").path("passcode").asText())).json().path("lobby_token").asText();

            api.post(path(id) + "/lobby/" + stranger.id() + "/deny", host.token(), null);

            assertError(poll(id, stranger.id(), ticket), 403, "lobby_denied", null);
            assertError(api.post(path(id) + "/lobby/nobody/admit", host.token(), null), 404,
                    "lobby_entry_not_found", null);
        }

        @Test
        void joinsAsAGuestWithoutAnAccountWhenGuestsAreAllowed() throws Exception {
            Account host = support.member();
            JsonNode meeting = support.create(host, "settings", open("allow_guests", true));
            String id = meeting.path("meeting_id").asText();

            Answer guest = join(id, null, Map.of("display_name", "Gustav <Guest>",
                    "passcode", meeting.path("settings").path("passcode").asText()));

            assertThat(guest.status()).as(guest.toString()).isEqualTo(200);
            assertThat(guest.json().path("user_id").isNull()).isTrue();
            assertThat(guest.json().path("role").asText()).isEqualTo("guest");
            assertThat(guest.json().path("participant_id").asText()).startsWith("guest-");
            assertThat(guest.json().path("permissions")).extracting(JsonNode::asText)
                    .containsExactly("publish", "subscribe", "chat");
            VerifiedToken token = verify(guest.json().path("join_token").asText(), "sfu");
            assertThat(token.string("name")).isEqualTo("Gustav <Guest>");
            assertThat(token.subject()).isEqualTo(guest.json().path("participant_id").asText());
        }

        @Test
        void refusesGuestsWhenTheMeetingDoesNotAllowThem() {
            Account host = support.member();
            JsonNode meeting = support.create(host, "settings", open());
            String id = meeting.path("meeting_id").asText();

            assertError(join(id, null, Map.of("display_name", "Gustav",
                    "passcode", meeting.path("settings").path("passcode").asText())), 401, "sign_in_required", null);
            assertError(join(id, null, Map.of()), 400, "validation_failed", "display_name");
        }

        @Test
        void watchesATownHallOverHlsAsAnAttendee() throws Exception {
            Account host = support.platformHost();
            Account viewer = support.member();
            String id = support.create(host, "kind", "town_hall", "participants", List.of(viewer.id()))
                    .path("meeting_id").asText();

            JsonNode joined = joinAs(viewer, id).json();

            assertThat(joined.path("role").asText()).isEqualTo("attendee");
            assertThat(joined.has("signaling_url")).isFalse();
            assertThat(joined.path("hls_url").asText()).isEqualTo("http://127.0.0.1:8090/hls/" + id + "/master.m3u8");
            assertThat(joined.path("permissions")).extracting(JsonNode::asText).containsExactly("subscribe", "chat");
            assertThat(verify(joined.path("join_token").asText(), "channel").audience()).containsExactly("channel");
        }
    }

    @Nested
    class WhenJoiningByNumber {

        @Test
        void alwaysNeedsThePasscodeEvenForInvitees() {
            Account host = support.member();
            Account invitee = support.member();
            JsonNode meeting = support.create(host, "participants", List.of(invitee.id()), "settings", open());
            String number = meeting.path("numeric_id").asText();
            String typed = number.substring(0, 3) + " " + number.substring(3, 7) + "-" + number.substring(7);

            assertError(api.post("/api/v1/meetings/join", invitee.token(), Map.of("numeric_id", number)), 403,
                    "passcode_required", "passcode");
            Answer joined = api.post("/api/v1/meetings/join", invitee.token(), Map.of("numeric_id", typed,
                    "passcode", meeting.path("settings").path("passcode").asText()));

            assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
            assertThat(joined.json().path("meeting_id").asText()).isEqualTo(meeting.path("meeting_id").asText());
            assertThat(joined.json().path("role").asText()).isEqualTo("participant");
        }

        @Test
        void answers404ForAnUnknownNumberAnd400ForSomethingElse() {
            Account someone = support.member();

            assertError(api.post("/api/v1/meetings/join", someone.token(), Map.of("numeric_id", 10000000000L,
                    "passcode", "123456")), 404, "meeting_not_found", null);
            assertError(api.post("/api/v1/meetings/join", someone.token(), Map.of("numeric_id", "12ab",
                    "passcode", "123456")), 400, "validation_failed", "numeric_id");
        }
    }

    @Nested
    class WhenTheMeetingIsLockedOrFull {

        @Test
        void refusesEveryoneButModeratorsWhileLocked() {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(invitee.id()), "settings", open())
                    .path("meeting_id").asText();

            assertThat(api.post(path(id) + "/lock", host.token(), null).json().path("locked").asBoolean()).isTrue();

            assertError(joinAs(invitee, id), 423, "meeting_locked", null);
            assertThat(joinAs(host, id).status()).isEqualTo(200);
            api.post(path(id) + "/unlock", host.token(), null);
            assertThat(joinAs(invitee, id).status()).isEqualTo(200);
        }

        @Test
        void refusesTheOneTooManyButAlwaysTheHost() {
            Account host = support.member();
            Account first = support.member();
            Account second = support.member();
            Account third = support.member();
            String id = support.create(host, "participants", List.of(first.id(), second.id(), third.id()),
                    "settings", open("max_participants", 2)).path("meeting_id").asText();

            assertThat(joinAs(first, id).status()).isEqualTo(200);
            assertThat(joinAs(second, id).status()).isEqualTo(200);
            assertThat(joinAs(first, id).status()).as("joining again is no new seat").isEqualTo(200);
            assertError(joinAs(third, id), 409, "meeting_full", "max_participants");
            assertThat(joinAs(host, id).status()).isEqualTo(200);
        }

        @Test
        void refusesSomeoneTheHostRemoved() {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(invitee.id()), "settings", open())
                    .path("meeting_id").asText();
            assertThat(joinAs(invitee, id).status()).isEqualTo(200);

            api.post(path(id) + "/participants/" + invitee.id() + "/ban", host.token(), null);

            assertError(joinAs(invitee, id), 403, "removed_from_meeting", null);
            assertError(api.post(path(id) + "/participants/" + host.id() + "/ban", host.token(), null), 409,
                    "cannot_remove_host", null);
        }
    }

    @Nested
    class WhenSomeoneAdmittedFromTheLobbyJoinsAgain {

        /** A meeting with a lobby that admits guests, and its passcode. */
        record LobbyMeeting(Account host, String id, String passcode) {
        }

        LobbyMeeting lobbyMeeting() {
            Account host = support.member();
            JsonNode meeting = support.create(host, "settings", Map.of("join_before_host", true,
                    "allow_guests", true));
            return new LobbyMeeting(host, meeting.path("meeting_id").asText(),
                    meeting.path("settings").path("passcode").asText());
        }

        /** Joins as a guest through the lobby, the host admits: answers the admitting poll's body. */
        JsonNode admittedGuest(LobbyMeeting m, String name) {
            JsonNode waiting = join(m.id(), null, Map.of("display_name", name, "passcode", m.passcode())).json();
            assertThat(waiting.path("status").asText()).as(waiting.toString()).isEqualTo("lobby");
            String guestId = waiting.path("participant_id").asText();
            assertThat(api.post(path(m.id()) + "/lobby/" + guestId + "/admit", m.host().token(), null).status())
                    .isEqualTo(200);
            Answer admitted = poll(m.id(), guestId, waiting.path("lobby_token").asText());
            assertThat(admitted.status()).as(admitted.toString()).isEqualTo(200);
            return admitted.json();
        }

        /** Joins as a registered user through the lobby, the host admits. */
        void admittedUser(LobbyMeeting m, Account who) {
            JsonNode waiting = join(m.id(), who.token(), Map.of("user_id", who.id(), "passcode", m.passcode()))
                    .json();
            assertThat(waiting.path("status").asText()).as(waiting.toString()).isEqualTo("lobby");
            api.post(path(m.id()) + "/lobby/" + who.id() + "/admit", m.host().token(), null);
            Answer admitted = poll(m.id(), who.id(), waiting.path("lobby_token").asText());
            assertThat(admitted.status()).as(admitted.toString()).isEqualTo(200);
            assertThat(admitted.json().has("rejoin_secret")).as("users are known by their account").isFalse();
        }

        Answer rejoinAsGuest(LobbyMeeting m, String name, String participantId, String secret) {
            return join(m.id(), null, Map.of("display_name", name, "participant_id", participantId,
                    "rejoin_secret", secret));
        }

        @Test
        void aGuestGoesStraightBackInAsTheSameParticipant() throws Exception {
            LobbyMeeting m = lobbyMeeting();
            JsonNode admitted = admittedGuest(m, "Grace");
            String guestId = admitted.path("participant_id").asText();
            String secret = admitted.path("rejoin_secret").asText();
            assertThat(secret).as("the admitting answer carries the rejoin secret").hasSizeGreaterThan(30);

            Answer again = rejoinAsGuest(m, "Mallory", guestId, secret);

            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(again.json().path("participant_id").asText()).isEqualTo(guestId);
            assertThat(again.json().path("display_name").asText()).as("the name the host admitted")
                    .isEqualTo("Grace");
            assertThat(again.json().has("rejoin_secret")).as("handed out once").isFalse();
            VerifiedToken token = verify(again.json().path("join_token").asText(), "channel");
            assertThat(token.subject()).isEqualTo(guestId);
            assertThat(token.string("role")).isEqualTo("guest");
            assertThat(rejoinAsGuest(m, "Grace", guestId, secret).status()).as("and again").isEqualTo(200);
        }

        @Test
        void aGuestWithoutTheRightSecretIsANewGuestInTheLobby() {
            LobbyMeeting m = lobbyMeeting();
            JsonNode admitted = admittedGuest(m, "Grace");
            String guestId = admitted.path("participant_id").asText();
            JsonNode other = admittedGuest(m, "Olga");

            for (Map<String, Object> body : List.of(
                    Map.<String, Object>of("display_name", "Grace", "passcode", m.passcode()),
                    Map.<String, Object>of("display_name", "Grace", "passcode", m.passcode(),
                            "participant_id", guestId, "rejoin_secret", "guessed-" + guestId),
                    Map.<String, Object>of("display_name", "Grace", "passcode", m.passcode(),
                            "participant_id", guestId, "rejoin_secret", other.path("rejoin_secret").asText()))) {
                Answer answer = join(m.id(), null, body);
                assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
                assertThat(answer.json().path("participant_id").asText()).as("a fresh guest id").isNotEqualTo(guestId);
            }
            assertError(rejoinAsGuest(m, "Grace", guestId, "x".repeat(129)), 400, "validation_failed",
                    "rejoin_secret");
            assertError(join(m.id(), null, Map.of("display_name", "Grace", "rejoin_secret", "abc")), 400,
                    "validation_failed", "participant_id");
        }

        @Test
        void aUserGoesStraightBackInButSomeoneDeniedWaitsAgain() {
            LobbyMeeting m = lobbyMeeting();
            Account admitted = support.member();
            Account denied = support.member();
            admittedUser(m, admitted);
            JsonNode waiting = join(m.id(), denied.token(), Map.of("user_id", denied.id(), "passcode", m.passcode()))
                    .json();
            api.post(path(m.id()) + "/lobby/" + denied.id() + "/deny", m.host().token(), null);
            assertError(poll(m.id(), denied.id(), waiting.path("lobby_token").asText()), 403, "lobby_denied", null);

            Answer back = joinAs(admitted, m.id());

            assertThat(back.status()).as("admitted: no lobby, no passcode again: " + back).isEqualTo(200);
            assertThat(back.json().path("participant_id").asText()).isEqualTo(admitted.id());
            Answer deniedAgain = join(m.id(), denied.token(), Map.of("user_id", denied.id(), "passcode",
                    m.passcode()));
            assertThat(deniedAgain.status()).as("a denied person is not remembered: " + deniedAgain).isEqualTo(202);
            assertThat(deniedAgain.json().path("reason").asText()).isEqualTo("awaiting_admission");
        }

        @Test
        void theLockKeepsOutNewcomersButNotThoseAlreadyAdmitted() {
            LobbyMeeting m = lobbyMeeting();
            JsonNode guest = admittedGuest(m, "Grace");
            Account user = support.member();
            admittedUser(m, user);
            Account stranger = support.member();

            api.post(path(m.id()) + "/lock", m.host().token(), null);

            assertThat(rejoinAsGuest(m, "Grace", guest.path("participant_id").asText(),
                    guest.path("rejoin_secret").asText()).status()).isEqualTo(200);
            assertThat(joinAs(user, m.id()).status()).isEqualTo(200);
            assertError(join(m.id(), null, Map.of("display_name", "Newcomer", "passcode", m.passcode())), 423,
                    "meeting_locked", null);
            assertError(join(m.id(), stranger.token(), Map.of("user_id", stranger.id(), "passcode", m.passcode())),
                    423, "meeting_locked", null);
        }

        @Test
        void someoneRemovedStaysOutAdmissionOrNot() {
            LobbyMeeting m = lobbyMeeting();
            JsonNode guest = admittedGuest(m, "Grace");
            String guestId = guest.path("participant_id").asText();
            Account user = support.member();
            admittedUser(m, user);

            api.post(path(m.id()) + "/participants/" + guestId + "/ban", m.host().token(), null);
            api.post(path(m.id()) + "/participants/" + user.id() + "/ban", m.host().token(), null);

            for (int attempt = 0; attempt < 2; attempt++) {
                assertError(rejoinAsGuest(m, "Grace", guestId, guest.path("rejoin_secret").asText()), 403,
                        "removed_from_meeting", null);
                assertError(joinAs(user, m.id()), 403, "removed_from_meeting", null);
            }
        }
    }

    @Nested
    class WhenJoinsFail {

        @Test
        void answers429WithRetryAfterAfterTenFailuresFromOneAddress() {
            Account host = support.member();
            JsonNode meeting = support.create(host, "settings", open("allow_guests", true));
            String id = meeting.path("meeting_id").asText();
            String passcode = meeting.path("settings").path("passcode").asText();
            Map<String, Object> wrong = Map.of("display_name", "Guesser", "passcode", "999999x");

            for (int i = 0; i < 10; i++) {
                assertThat(join(id, null, wrong).status()).isEqualTo(403);
            }
            Answer limited = join(id, null, Map.of("display_name", "Guesser", "passcode", passcode));

            assertError(limited, 429, "too_many_failed_joins", "retry_after_seconds");
            assertThat(limited.header("Retry-After")).hasValueSatisfying(seconds ->
                    assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
            assertThat(api.fromRandomIp().post(path(id) + "/join", null, Map.of("display_name", "Other",
                    "passcode", passcode)).status()).as("another address still gets in").isEqualTo(200);
        }

        @Test
        void countsUnknownMeetingsAsFailuresButNeverSuccessfulJoins() {
            Account host = support.member();
            String id = support.create(host, "settings", open()).path("meeting_id").asText();

            for (int i = 0; i < 15; i++) {
                assertThat(joinAs(host, id).status()).isEqualTo(200);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(joinAs(host, "aaaaaaaaaaaaaaaaaaa" + (char) ('a' + i)).status()).isEqualTo(404);
            }
            assertThat(joinAs(host, id).status()).isEqualTo(429);
        }

        @Test
        void locksJoiningByPasscodeAfter100WrongOnesUntilTheHostUnlocks() {
            Account host = support.member();
            Account invitee = support.member();
            JsonNode meeting = support.create(host, "participants", List.of(invitee.id()),
                    "settings", open("allow_guests", true));
            String id = meeting.path("meeting_id").asText();
            String passcode = meeting.path("settings").path("passcode").asText();
            Map<String, Object> right = Map.of("display_name", "Guest", "passcode", passcode);

            for (int attempt = 0; attempt < 100; attempt++) {
                if (attempt % 10 == 0) {
                    api = api.fromRandomIp(); // ten guesses per address stay under the per-address limit
                }
                assertThat(join(id, null, Map.of("display_name", "Guesser", "passcode", "guess" + attempt))
                        .status()).isEqualTo(403);
            }

            api = api.fromRandomIp();
            assertError(api.post(path(id) + "/join", null, right), 423, "passcode_attempts_exceeded", null);
            assertThat(joinAs(invitee, id).status()).as("invitees need no passcode").isEqualTo(200);
            assertThat(api.fromRandomIp().post(path(id) + "/unlock", host.token(), null).status()).isEqualTo(200);
            assertThat(api.fromRandomIp().post(path(id) + "/join", null, right).status()).isEqualTo(200);
        }
    }

    @Nested
    class WhenUsingCalendars {

        @Test
        void servesAValidRequestThenACancelWithARisingSequence() {
            Account host = support.member();
            Account invitee = support.member();
            String id = support.create(host, "participants", List.of(invitee.id(), "ext@example.net"))
                    .path("meeting_id").asText();

            HttpResponse<String> first = HttpTestClient.get(api.baseUrl() + path(id) + "/invite.ics",
                    "Authorization", "Bearer " + invitee.token());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValue("text/calendar; charset=utf-8");
            Calendar request = validCalendar(first.body());
            assertThat(value(request, "METHOD")).isEqualTo("REQUEST");
            assertThat(value(events(request).get(0), "UID")).isEqualTo(id + "@127.0.0.1");
            assertThat(value(events(request).get(0), "SEQUENCE")).isEqualTo("0");
            assertThat(value(events(request).get(0), "ORGANIZER")).isEqualTo("mailto:" + host.email());
            // Compared unfolded: long lines are folded at 75 octets (RFC 5545 section 3.1).
            assertThat(first.body().replace("\r\n ", "")).contains("mailto:" + invitee.email(),
                    "mailto:ext@example.net").doesNotContain("Passcode");
            assertThat(api.send("GET", path(id) + "/invite.ics", host.token(), null).body().replace("\r\n ", ""))
                    .contains("Passcode: ");

            api.patch(path(id), host.token(), Map.of("title", "Renamed"));
            Calendar updated = validCalendar(api.get(path(id) + "/invite.ics", invitee.token()).body());
            assertThat(value(events(updated).get(0), "SEQUENCE")).isEqualTo("1");
            assertThat(value(events(updated).get(0), "UID")).isEqualTo(id + "@127.0.0.1");

            api.delete(path(id), host.token());
            Calendar cancel = validCalendar(api.get(path(id) + "/invite.ics", invitee.token()).body());
            assertThat(value(cancel, "METHOD")).isEqualTo("CANCEL");
            assertThat(value(events(cancel).get(0), "STATUS")).isEqualTo("CANCELLED");
            assertThat(value(events(cancel).get(0), "SEQUENCE")).isEqualTo("2");
        }

        @Test
        void servesASecretFeedWithoutCredentialsUntilItIsRotated() {
            Account owner = support.member();
            Account other = support.member();
            support.create(owner, "title", "Mine");
            support.create(other, "title", "Invited", "participants", List.of(owner.email().toUpperCase()));
            support.create(other, "title", "Not mine");

            JsonNode feed = api.get("/api/v1/users/" + owner.id() + "/calendar-feed", owner.token()).json();
            String https = feed.path("https_url").asText();

            assertThat(feed.path("webcal_url").asText()).startsWith("webcal://").endsWith(".ics");
            assertThat(https).startsWith("http://127.0.0.1:8080/api/v1/calendar/");
            assertThat(api.get("/api/v1/users/" + owner.id() + "/calendar-feed", owner.token()).json()
                    .path("https_url").asText()).isEqualTo(https);
            String feedPath = https.substring("http://127.0.0.1:8080".length());
            HttpResponse<String> fetched = HttpTestClient.get(api.baseUrl() + feedPath);
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.headers().firstValue("Content-Type")).hasValue("text/calendar; charset=utf-8");
            Calendar calendar = validCalendar(fetched.body());
            assertThat(events(calendar)).extracting(e -> value(e, "SUMMARY")).containsExactlyInAnyOrder("Mine",
                    "Invited");
            assertError(api.get("/api/v1/users/" + owner.id() + "/calendar-feed", other.token()), 403, "forbidden",
                    "user_id");

            JsonNode rotated = api.post("/api/v1/users/" + owner.id() + "/calendar-feed/rotate", owner.token(), null)
                    .json();

            assertThat(rotated.path("https_url").asText()).isNotEqualTo(https);
            assertThat(HttpTestClient.get(api.baseUrl() + feedPath).statusCode()).isEqualTo(404);
            assertThat(HttpTestClient.get(api.baseUrl() + rotated.path("https_url").asText()
                    .substring("http://127.0.0.1:8080".length())).statusCode()).isEqualTo(200);
            assertThat(HttpTestClient.get(api.baseUrl() + "/api/v1/calendar/guessed-token.ics").statusCode())
                    .isEqualTo(404);
        }
    }

    @Nested
    class WhenUsingAPersonalRoom {

        @Test
        void makesItOnFirstUseAndKeepsItForGood() {
            Account owner = support.member();

            JsonNode first = api.get("/api/v1/users/" + owner.id() + "/personal-room", owner.token()).json();
            JsonNode again = api.get("/api/v1/users/" + owner.id() + "/personal-room", owner.token()).json();

            assertThat(first.path("personal_room").asBoolean()).isTrue();
            assertThat(first.path("kind").asText()).isEqualTo("meeting");
            assertThat(first.path("start_time").isNull()).isTrue();
            assertThat(first.path("meeting_id").asText()).matches("[a-z2-7]{20}")
                    .isEqualTo(again.path("meeting_id").asText());
            assertThat(again.path("numeric_id").asText()).isEqualTo(first.path("numeric_id").asText());
            assertThat(again.path("settings").path("passcode").asText())
                    .isEqualTo(first.path("settings").path("passcode").asText());
            assertThat(joinAs(owner, first.path("meeting_id").asText()).json().path("role").asText())
                    .isEqualTo("host");
            assertError(api.delete(path(first.path("meeting_id").asText()), owner.token()), 409, "personal_room",
                    null);
        }

        @Test
        void showsItToAdminsWithoutThePasscodeAndToNobodyElse() {
            Account owner = support.member();
            Account other = support.member();
            String room = api.get("/api/v1/users/" + owner.id() + "/personal-room", owner.token()).json()
                    .path("meeting_id").asText();

            assertError(api.get("/api/v1/users/" + owner.id() + "/personal-room", other.token()), 403, "forbidden",
                    "user_id");
            JsonNode byAdmin = api.get("/api/v1/users/" + owner.id() + "/personal-room", support.admin().token())
                    .json();
            assertThat(byAdmin.path("meeting_id").asText()).isEqualTo(room);
            assertThat(byAdmin.path("settings").has("passcode")).isFalse();
        }
    }
}
