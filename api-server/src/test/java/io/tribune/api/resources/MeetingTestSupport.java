package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.validate.ValidationResult;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts, meetings and calendar checks for the meeting integration tests, over HTTP as a client would. Each
 * instance poses as one client address. Thread-safe.
 */
final class MeetingTestSupport {

    static final String ADMIN_EMAIL = "admin@tribune.test";
    static final String ADMIN_PASSWORD = "bootstrap admin password 1";

    /** Start times of meetings made by tests: distinct far-future hours, so tests never share a slot. */
    private static final AtomicLong NEXT_SLOT = new AtomicLong();
    private static final Instant FIRST_SLOT = Instant.parse("2031-01-06T09:00:00Z");

    private final ApiClient api;

    MeetingTestSupport(ApiClient api) {
        this.api = api;
    }

    ApiClient api() {
        return api;
    }

    /** A signed-in account. */
    record Account(String id, String username, String email, String token) {
    }

    /** A fresh account with platform role member. */
    Account member() {
        String name = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return register(name, name + "@example.org");
    }

    Account register(String name, String email) {
        String password = "pass phrase " + UUID.randomUUID();
        Answer registered = api.post("/api/v1/users/register", null,
                Map.of("username", name, "email", email, "password", password));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String id = registered.json().path("user_id").asText();
        return new Account(id, name, email, login(email, password));
    }

    /** A fresh account promoted to platform role host by the admin (logged in again to carry the role). */
    Account platformHost() {
        String name = "h" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String email = name + "@example.org";
        String password = "pass phrase " + UUID.randomUUID();
        Answer registered = api.post("/api/v1/users/register", null,
                Map.of("username", name, "email", email, "password", password));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String id = registered.json().path("user_id").asText();
        Answer promoted = api.patch("/api/v1/admin/users/" + id, admin().token(), Map.of("role", "host"));
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
        return new Account(id, name, email, login(email, password));
    }

    Account admin() {
        Answer login = api.fromRandomIp().post("/api/v1/users/login", null,
                Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return new Account(login.json().path("user_id").asText(), "admin", ADMIN_EMAIL,
                login.json().path("token").asText());
    }

    private String login(String email, String password) {
        Answer login = api.fromRandomIp().post("/api/v1/users/login", null,
                Map.of("email", email, "password", password));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().path("token").asText();
    }

    /** The start of an hour no other test uses. */
    static Instant freeSlot() {
        return FIRST_SLOT.plus(Duration.ofHours(3 * NEXT_SLOT.getAndIncrement()));
    }

    /** A create body: one hour from {@code start}; {@code extra} pairs (key, value) add or replace fields. */
    static Map<String, Object> meeting(Account host, Instant start, Object... extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Team sync");
        body.put("start_time", start.toString());
        body.put("end_time", start.plus(Duration.ofHours(1)).toString());
        body.put("participants", List.of());
        body.put("host_id", host.id());
        body.put("allow_overlap", true);
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    /** Creates a meeting and returns its representation; fails the test unless it is 201. */
    JsonNode create(Account host, Map<String, Object> body) {
        Answer created = api.post("/api/v1/meetings", host.token(), body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** A meeting at a free slot inviting {@code invitees} (user ids, emails or role objects). */
    JsonNode create(Account host, Object... extra) {
        return create(host, meeting(host, freeSlot(), extra));
    }

    /** Parses an ICS body and fails the test unless ical4j finds it valid (RFC 5545/5546). */
    static Calendar validCalendar(String ics) {
        try {
            Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
            ValidationResult result = calendar.validate();
            assertThat(result.getEntries()).as(ics).isEmpty();
            return calendar;
        } catch (Exception e) {
            throw new AssertionError("not a parseable calendar: " + ics, e);
        }
    }

    static List<VEvent> events(Calendar calendar) {
        return calendar.getComponents(Component.VEVENT).stream().map(VEvent.class::cast).toList();
    }

    static String value(Component component, String property) {
        return component.getProperty(property).map(Property::getValue).orElse(null);
    }

    static String value(Calendar calendar, String property) {
        return calendar.getProperty(property).map(Property::getValue).orElse(null);
    }

    /** Asserts the error shape every 4xx has: status, code, a message and details naming {@code field}. */
    static void assertError(Answer answer, int status, String code, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(body.path("code").asText()).as(answer.toString()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("details").isObject()).as(answer.toString()).isTrue();
        if (field != null) {
            assertThat(body.path("details").has(field) || body.path("details").path("field").asText().equals(field))
                    .as("details name %s: %s", field, answer).isTrue();
        }
    }
}
