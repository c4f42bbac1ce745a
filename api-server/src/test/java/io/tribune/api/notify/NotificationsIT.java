package io.tribune.api.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApiServerApplication;
import io.tribune.api.TestApps;
import io.tribune.api.UserEventsRecorder;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.NotificationEvents;
import io.tribune.events.RecordingEvents;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.SmtpComponent;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications end to end in the api-server, on the embedded PostgreSQL and Kafka and a real GreenMail SMTP
 * server: preferences and their validation, the worker learning them, one-click unsubscribe with the worker's
 * token format, push subscriptions, the fan-out of a ready recording to mail/push/in-app as preferences allow,
 * invitations, updates, cancellations and the worker's due reminders in the bell and as pushes (never a second
 * mail), an expired subscription
 * removed on the worker's event, the in-app list, and the dev mailbox page.
 */
@ExtendWith(PlatformExtension.class)
class NotificationsIT {

    static final String UNSUBSCRIBE_KEY = "unsubscribe key for tests";
    static final String VAPID_PUBLIC_KEY =
            "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final SmtpComponent SMTP = startSmtp();

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP = TestApps.onPlatform(
            TestApiServerApplication.class,
            ConfigOverride.config("notifications.unsubscribeKey", UNSUBSCRIBE_KEY),
            ConfigOverride.config("notifications.vapidPublicKey", VAPID_PUBLIC_KEY),
            ConfigOverride.config("notifications.devMailboxUrl", SMTP::mailboxUrl));

    static UserEventsRecorder events;
    ApiClient api;

    private static SmtpComponent startSmtp() {
        SmtpComponent smtp = new SmtpComponent(0, 0);
        try {
            smtp.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return smtp;
    }

    @BeforeAll
    static void record() throws Exception {
        events = UserEventsRecorder.start(TestApps.urls().kafkaBootstrap(), Topics.NOTIFICATIONS);
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
        }
        SMTP.stop();
    }

    record Account(String id, String email, String token) {
    }

    Account account() {
        api = ApiClient.local(APP.getLocalPort()).fromRandomIp();
        String name = "n" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String email = name + "@example.org";
        String password = "pass phrase " + UUID.randomUUID();
        Answer registered = api.post("/api/v1/users/register", null, Map.of("username", name, "email", email,
                "password", password));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        Answer login = api.post("/api/v1/users/login", null, Map.of("email", email, "password", password));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return new Account(login.json().path("user_id").asText(), email, login.json().path("token").asText());
    }

    @Test
    void preferencesStartOnAreValidatedAndReachTheWorker() {
        Account me = account();
        Answer defaults = api.get("/api/v1/users/me/notification_preferences", me.token());
        assertThat(defaults.status()).as(defaults.toString()).isEqualTo(200);
        assertThat(defaults.json().path("reminder_lead_minutes").asInt()).isEqualTo(10);
        assertThat(defaults.json().path("preferences").path("email").path("reminders").asBoolean()).isTrue();
        assertThat(defaults.json().path("preferences").path("in_app").path("recordings").asBoolean()).isTrue();

        String path = "/api/v1/users/me/notification_preferences";
        assertError(api.send("PUT", path, me.token(), Map.of("preferences", Map.of("pigeon", Map.of()))),
                400, "unknown_channel");
        assertError(api.send("PUT", path, me.token(), Map.of("preferences",
                Map.of("email", Map.of("gossip", false)))), 400, "unknown_kind");
        assertError(api.send("PUT", path, me.token(), Map.of("preferences",
                Map.of("email", Map.of("reminders", "no")))), 400, "invalid_preferences");
        assertError(api.send("PUT", path, me.token(), Map.of("preferences",
                Map.of("email", Map.of("account", false)))), 400, "required_notification");
        assertError(api.send("PUT", path, me.token(), Map.of("reminder_lead_minutes", 2000)), 400,
                "invalid_preferences");
        assertError(api.send("PUT", path, me.token(), Map.of("reminder_lead_minutes", 1.5)), 400,
                "invalid_preferences");
        assertError(api.send("PUT", path, me.token(), Map.of("lead", 5)), 400, "unknown_field");
        assertThat(api.get(path, null).status()).isEqualTo(401);

        Answer saved = api.send("PUT", path, me.token(), Map.of("preferences",
                Map.of("email", Map.of("reminders", false), "push", Map.of("invitations", false)),
                "reminder_lead_minutes", 15));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        JsonNode after = api.get(path, me.token()).json();
        assertThat(after.path("reminder_lead_minutes").asInt()).isEqualTo(15);
        assertThat(after.path("preferences").path("email").path("reminders").asBoolean()).isFalse();
        assertThat(after.path("preferences").path("email").path("invitations").asBoolean()).isTrue();
        assertThat(after.path("preferences").path("push").path("invitations").asBoolean()).isFalse();

        NotificationEvents.PreferencesChanged told = events.await(NotificationEvents.PreferencesChanged.class,
                e -> me.id().equals(e.userId()) && e.reminderLeadMinutes() == 15, TIMEOUT);
        assertThat(told.email()).isEqualTo(me.email());
        assertThat(told.emailOptOuts()).containsExactly("reminders");
    }

    @Test
    void oneClickUnsubscribeTurnsTheCategoryOffAndRefusesForgedTokens() {
        Account me = account();
        String token = new UnsubscribeTokens(UNSUBSCRIBE_KEY).sign(me.email(), "invitations");
        String forged = new UnsubscribeTokens("another key").sign(me.email(), "invitations");
        String path = "/api/v1/notifications/unsubscribe?token=";

        Answer page = api.get(path + token, null);
        assertThat(page.status()).as("GET only confirms").isEqualTo(200);
        assertThat(page.body()).contains("<form method=post");
        assertThat(api.get("/api/v1/users/me/notification_preferences", me.token()).json()
                .path("preferences").path("email").path("invitations").asBoolean()).isTrue();

        Answer refused = api.sendRaw("POST", path + forged, null, "application/x-www-form-urlencoded",
                "List-Unsubscribe=One-Click");
        assertError(refused, 400, "invalid_unsubscribe_token");
        Answer done = api.sendRaw("POST", path + URLEncoder.encode(token, StandardCharsets.UTF_8), null,
                "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);

        JsonNode after = api.get("/api/v1/users/me/notification_preferences", me.token()).json();
        assertThat(after.path("preferences").path("email").path("invitations").asBoolean()).isFalse();
        assertThat(after.path("preferences").path("email").path("reminders").asBoolean()).isTrue();
        events.await(NotificationEvents.PreferencesChanged.class,
                e -> me.id().equals(e.userId()) && e.emailOptOuts().contains("invitations"), TIMEOUT);

        // An invitee without an account: the address itself is opted out, and the worker is told.
        String stranger = "guest" + UUID.randomUUID().toString().substring(0, 8) + "@example.net";
        Answer guest = api.sendRaw("POST", path + new UnsubscribeTokens(UNSUBSCRIBE_KEY).sign(stranger, "meetings"),
                null, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
        assertThat(guest.status()).as(guest.toString()).isEqualTo(200);
        NotificationEvents.PreferencesChanged addressOnly = events.await(
                NotificationEvents.PreferencesChanged.class, e -> stranger.equals(e.email()), TIMEOUT);
        assertThat(addressOnly.userId()).isNull();
        assertThat(addressOnly.emailOptOuts()).containsExactlyInAnyOrder("invitations", "reminders");
    }

    @Test
    void refusesSubscriptionsThatAreNotHttpsOrHaveBadKeysAndDeletesOnRequest() throws Exception {
        Account me = account();
        assertThat(api.get("/api/v1/push/vapid_public_key", null).json().path("public_key").asText())
                .isEqualTo(VAPID_PUBLIC_KEY);
        String p256dh = userAgentKey();
        String auth = b64(new byte[16]);
        String path = "/api/v1/push/subscriptions";
        assertError(api.post(path, me.token(), subscription("http://push.example/abc", p256dh, auth)), 400,
                "invalid_subscription");
        assertError(api.post(path, me.token(), subscription("not a url", p256dh, auth)), 400,
                "invalid_subscription");
        assertError(api.post(path, me.token(), subscription("https://push.example/abc", b64(new byte[32]), auth)),
                400, "invalid_subscription");
        assertError(api.post(path, me.token(), subscription("https://push.example/abc", p256dh, "***")), 400,
                "invalid_subscription");
        assertError(api.post(path, me.token(), subscription("https://push.example/abc", p256dh, b64(new byte[8]))),
                400, "invalid_subscription");
        assertError(api.post(path, me.token(), Map.of("endpoint", "https://push.example/abc")), 400,
                "invalid_subscription");

        String endpoint = "https://push.example/send/" + UUID.randomUUID();
        Answer created = api.post(path, me.token(), subscription(endpoint, p256dh, auth));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(api.get(path, me.token()).json().path("items").get(0).path("endpoint").asText())
                .isEqualTo(endpoint);
        String encoded = URLEncoder.encode(endpoint, StandardCharsets.UTF_8);
        assertThat(api.delete(path + "?endpoint=" + encoded, me.token()).status()).isEqualTo(204);
        assertError(api.delete(path + "?endpoint=" + encoded, me.token()), 404, "subscription_not_found");
        assertThat(api.get(path, me.token()).json().path("items").size()).isZero();
    }

    @Test
    void aReadyRecordingReachesEveryAllowedChannelAndAnExpiredSubscriptionIsForgotten() throws Exception {
        Account host = account();
        // Mail of ready recordings off; push and in-app stay on.
        assertThat(api.send("PUT", "/api/v1/users/me/notification_preferences", host.token(),
                Map.of("preferences", Map.of("email", Map.of("recordings", false)))).status()).isEqualTo(200);
        String endpointA = "https://push.example/send/" + UUID.randomUUID();
        String endpointB = "https://push.example/send/" + UUID.randomUUID();
        String p256dh = userAgentKey();
        String auth = b64(new byte[16]);
        assertThat(api.post("/api/v1/push/subscriptions", host.token(), subscription(endpointA, p256dh, auth))
                .status()).isEqualTo(201);
        assertThat(api.post("/api/v1/push/subscriptions", host.token(), subscription(endpointB, p256dh, auth))
                .status()).isEqualTo(201);

        String meetingId = meeting(host, "Design review");
        String recordingId = startAndStop(host, meetingId);
        publish(new RecordingEvents.Ready(meetingId, recordingId, List.of(), 5_000, 1234, "00"));

        JsonNode list = awaitNotifications(host, 1);
        JsonNode item = list.path("items").get(0);
        assertThat(item.path("kind").asText()).isEqualTo("recordings");
        assertThat(item.path("title").asText()).isEqualTo("Recording ready: Design review");
        assertThat(item.path("url").asText()).endsWith("/app/#/recordings/" + recordingId);
        assertThat(item.path("read").asBoolean()).isFalse();
        assertThat(list.path("unread").asInt()).isEqualTo(1);

        for (String endpoint : List.of(endpointA, endpointB)) {
            NotificationEvents.Requested push = events.await(NotificationEvents.Requested.class,
                    e -> host.id().equals(e.userId()) && "push".equals(e.channel())
                            && endpoint.equals(e.params().get("endpoint")), TIMEOUT);
            assertThat(push.template()).isEqualTo("recording_ready");
            assertThat(push.params()).containsEntry("p256dh", p256dh).containsEntry("auth", auth)
                    .containsEntry("title", "Design review");
        }
        assertThat(events.find(NotificationEvents.Requested.class,
                e -> host.id().equals(e.userId()) && "email".equals(e.channel()), Duration.ofSeconds(3)))
                .as("mail of this kind is off").isEmpty();

        // The worker reports endpoint A gone (410): the api-server forgets it, B stays.
        publish(new NotificationEvents.PushSubscriptionExpired(UUID.randomUUID().toString(), host.id(), endpointA,
                410));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode remaining;
        do {
            remaining = api.get("/api/v1/push/subscriptions", host.token()).json().path("items");
            if (remaining.size() == 1) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(remaining.size()).as(remaining.toString()).isEqualTo(1);
        assertThat(remaining.get(0).path("endpoint").asText()).isEqualTo(endpointB);

        // Read: one by id, then all.
        String id = item.path("id").asText();
        assertError(api.post("/api/v1/notifications/" + UUID.randomUUID() + "/read", host.token(), Map.of()), 404,
                "notification_not_found");
        assertThat(api.post("/api/v1/notifications/" + id + "/read", host.token(), Map.of()).json()
                .path("unread").asInt()).isZero();
        JsonNode read = api.get("/api/v1/notifications", host.token()).json();
        assertThat(read.path("items").get(0).path("read").asBoolean()).isTrue();
        assertThat(api.post("/api/v1/notifications/read_all", host.token(), Map.of()).status()).isEqualTo(200);
        Account other = account();
        assertThat(api.get("/api/v1/notifications", other.token()).json().path("total").asInt()).isZero();
        assertError(api.post("/api/v1/notifications/" + id + "/read", other.token(), Map.of()), 404,
                "notification_not_found");
    }

    @Test
    void invitationsUpdatesAndCancellationsReachTheBellAndBrowsersOfInviteesWithAccountsButNeverAsASecondMail()
            throws Exception {
        Account host = account();
        Account byId = account();
        Account byAddress = account();
        String endpoint = "https://push.example/send/" + UUID.randomUUID();
        assertThat(api.post("/api/v1/push/subscriptions", byId.token(), subscription(endpoint, userAgentKey(),
                b64(new byte[16]))).status()).isEqualTo(201);
        String otherEndpoint = "https://push.example/send/" + UUID.randomUUID();
        assertThat(api.post("/api/v1/push/subscriptions", byAddress.token(), subscription(otherEndpoint,
                userAgentKey(), b64(new byte[16]))).status()).isEqualTo(201);
        // The one invited by address turned pushes of invitations off: the bell only.
        assertThat(api.send("PUT", "/api/v1/users/me/notification_preferences", byAddress.token(),
                Map.of("preferences", Map.of("push", Map.of("invitations", false)))).status()).isEqualTo(200);

        Instant start = Instant.parse("2031-03-04T09:00:00Z");
        Answer created = api.post("/api/v1/meetings", host.token(), Map.of("title", "Planning",
                "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "time_zone", "Europe/Paris", "host_id", host.id(), "allow_overlap", true,
                "participants", List.of(byId.id(), byAddress.email().toUpperCase(java.util.Locale.ROOT),
                        "nobody-" + UUID.randomUUID() + "@example.org")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String meetingId = created.json().path("meeting_id").asText();

        // In the same transaction as the meeting: there as soon as the API answers.
        JsonNode invitation = api.get("/api/v1/notifications", byId.token()).json().path("items").get(0);
        assertThat(invitation.path("kind").asText()).isEqualTo("invitations");
        assertThat(invitation.path("title").asText()).isEqualTo("Invitation: Planning");
        assertThat(invitation.path("body").asText())
                .isEqualTo("You are invited to \"Planning\", Tue 4 Mar 2031, 10:00 (Europe/Paris).");
        assertThat(invitation.path("url").asText()).endsWith("/app/#/meetings/" + meetingId);
        assertThat(api.get("/api/v1/notifications", byAddress.token()).json().path("items").get(0)
                .path("title").asText()).isEqualTo("Invitation: Planning");
        assertThat(api.get("/api/v1/notifications", host.token()).json().path("total").asInt()).isZero();
        NotificationEvents.Requested push = events.await(NotificationEvents.Requested.class,
                e -> "push".equals(e.channel()) && endpoint.equals(e.params().get("endpoint")), TIMEOUT);
        assertThat(push.userId()).isEqualTo(byId.id());
        assertThat(push.template()).isEqualTo("notice");
        assertThat(push.params()).containsEntry("title", "Invitation: Planning")
                .containsEntry("body", invitation.path("body").asText());

        // The invitee by address is dropped and the title changes: an update for one, a cancellation for the other.
        Answer updated = api.patch("/api/v1/meetings/" + meetingId, host.token(), Map.of("title", "Planning v2",
                "participants", List.of(byId.id())));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode latest = api.get("/api/v1/notifications", byId.token()).json();
        assertThat(latest.path("total").asInt()).isEqualTo(2);
        assertThat(latest.path("items").findValuesAsText("title")).contains("Updated: Planning v2");
        JsonNode dropped = api.get("/api/v1/notifications", byAddress.token()).json();
        assertThat(dropped.path("total").asInt()).isEqualTo(2);
        assertThat(dropped.path("items").get(0).path("title").asText()).isEqualTo("Cancelled: Planning v2");
        assertThat(dropped.path("items").get(0).path("body").asText())
                .isEqualTo("You are no longer invited to \"Planning v2\".");

        assertThat(api.delete("/api/v1/meetings/" + meetingId, host.token()).status()).isEqualTo(200);
        JsonNode all = api.get("/api/v1/notifications", byId.token()).json();
        assertThat(all.path("total").asInt()).isEqualTo(3);
        assertThat(all.path("items").findValuesAsText("title")).contains("Cancelled: Planning v2");
        assertThat(api.get("/api/v1/notifications", byAddress.token()).json().path("total").asInt()).isEqualTo(2);

        // One push per change to the browser that allows them, none to the other; mails stay the worker's.
        for (String title : List.of("Updated: Planning v2", "Cancelled: Planning v2")) {
            events.await(NotificationEvents.Requested.class, e -> "push".equals(e.channel())
                    && endpoint.equals(e.params().get("endpoint")) && title.equals(e.params().get("title")), TIMEOUT);
        }
        List<NotificationEvents.Requested> mine = events.all(NotificationEvents.Requested.class).stream()
                .filter(e -> byId.id().equals(e.userId()) || byAddress.id().equals(e.userId())).toList();
        assertThat(mine).extracting(NotificationEvents.Requested::channel).containsOnly("push");
        assertThat(mine).extracting(e -> e.params().get("endpoint")).containsOnly(endpoint);
        assertThat(mine).extracting(e -> e.params().get("title")).containsExactlyInAnyOrder("Invitation: Planning",
                "Updated: Planning v2", "Cancelled: Planning v2");
    }

    @Test
    void aReminderTheWorkerReportsDueReachesTheBellAndBrowsersOnceButNeverAsAMail() throws Exception {
        Account invitee = account();
        Account byAddress = account();
        String endpoint = "https://push.example/send/" + UUID.randomUUID();
        assertThat(api.post("/api/v1/push/subscriptions", invitee.token(), subscription(endpoint, userAgentKey(),
                b64(new byte[16]))).status()).isEqualTo(201);
        // The other turned reminders off in the bell: nothing for them, though their account is found by address.
        assertThat(api.send("PUT", "/api/v1/users/me/notification_preferences", byAddress.token(),
                Map.of("preferences", Map.of("in_app", Map.of("reminders", false)))).status()).isEqualTo(200);
        String meetingId = "m-" + UUID.randomUUID();
        Instant start = Instant.parse("2031-03-04T09:00:00Z");
        NotificationEvents.ReminderDue due = new NotificationEvents.ReminderDue(meetingId, "Standup", start,
                "Europe/Paris", invitee.id(), invitee.email());

        publish(due);
        publish(new NotificationEvents.ReminderDue(meetingId, "Standup", start, "Europe/Paris", null,
                byAddress.email().toUpperCase(java.util.Locale.ROOT)));
        JsonNode item = awaitNotifications(invitee, 1).path("items").get(0);
        assertThat(item.path("kind").asText()).isEqualTo("reminders");
        assertThat(item.path("title").asText()).isEqualTo("Reminder: Standup");
        assertThat(item.path("body").asText()).isEqualTo("\"Standup\" starts Tue 4 Mar 2031, 10:00 (Europe/Paris).");
        assertThat(item.path("url").asText()).endsWith("/app/#/join/" + meetingId);
        NotificationEvents.Requested push = events.await(NotificationEvents.Requested.class,
                e -> "push".equals(e.channel()) && endpoint.equals(e.params().get("endpoint")), TIMEOUT);
        assertThat(push.template()).isEqualTo("notice");
        assertThat(push.params()).containsEntry("title", "Reminder: Standup");

        // Reported again (a re-run after a crash): the same notifications, so nothing new.
        UUID again = publish(due);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!processed(again) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(processed(again)).as("the repeated report was consumed").isTrue();
        assertThat(api.get("/api/v1/notifications", invitee.token()).json().path("total").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/notifications", byAddress.token()).json().path("total").asInt()).isZero();
        assertThat(events.all(NotificationEvents.Requested.class).stream()
                .filter(e -> invitee.id().equals(e.userId()) || byAddress.id().equals(e.userId())))
                .extracting(NotificationEvents.Requested::channel).containsOnly("push");
    }

    @Test
    void theDevMailboxShowsAMailTheEmbeddedSmtpServerReceivedWithItsCalendarFile() throws Exception {
        String subject = "Invitation: planning " + UUID.randomUUID();
        Properties properties = new Properties();
        properties.put("mail.smtp.host", SMTP.host());
        properties.put("mail.smtp.port", String.valueOf(SMTP.port()));
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("tribune@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.org"));
        message.setSubject(subject);
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>You are <b>invited</b><script>alert(1)</script></p>", "text/html; charset=utf-8");
        MimeBodyPart ics = new MimeBodyPart();
        ics.setContent("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "text/calendar; charset=utf-8");
        ics.setFileName("invite.ics");
        ics.setDisposition(MimeBodyPart.ATTACHMENT);
        message.setContent(new MimeMultipart(html, ics));
        Transport.send(message);
        assertThat(SMTP.awaitMessages(1, TIMEOUT)).isTrue();

        ApiClient client = ApiClient.local(APP.getLocalPort());
        Answer page = client.get("/dev/mailbox", null);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body()).contains(subject.replace(":", ":")).contains("alice@example.org")
                .contains("<iframe sandbox").contains("Download invite.ics");
        int index = SMTP.receivedMessages().size() - 1;
        Answer body = client.get("/dev/mailbox/messages/" + index + "/body", null);
        assertThat(body.body()).contains("<b>invited</b>");
        assertThat(body.header("Content-Security-Policy").orElse("")).contains("sandbox")
                .contains("default-src 'none'");
        Answer calendar = client.get("/dev/mailbox/messages/" + index + "/ics", null);
        assertThat(calendar.status()).isEqualTo(200);
        assertThat(calendar.body()).contains("METHOD:REQUEST");
        assertThat(calendar.header("Content-Disposition").orElse("")).contains("invite.ics");
        assertThat(client.get("/dev/mailbox/messages/99999/body", null).status()).isEqualTo(404);
    }

    private JsonNode awaitNotifications(Account account, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode last;
        do {
            last = api.get("/api/v1/notifications", account.token()).json();
            if (last.path("items").size() >= count) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + count + " in-app notification(s) within " + TIMEOUT + ": " + last);
    }

    private String meeting(Account host, String title) {
        Instant start = Instant.now().plus(Duration.ofMinutes(1));
        Answer created = api.post("/api/v1/meetings", host.token(), Map.of("title", title,
                "start_time", start.toString(), "end_time", start.plusSeconds(3600).toString(),
                "host_id", host.id(), "allow_overlap", true,
                "settings", Map.of("lobby", false, "join_before_host", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("meeting_id").asText();
    }

    private String startAndStop(Account host, String meetingId) {
        Answer started = api.post("/api/v1/meetings/" + meetingId + "/recording/start", host.token(),
                Map.of("user_id", host.id()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        Answer stopped = api.post("/api/v1/meetings/" + meetingId + "/recording/stop", host.token(),
                Map.of("user_id", host.id()));
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        return started.json().path("recording_id").asText();
    }

    /** Whether the api-server's consumer of the worker's reports applied the event. */
    private static boolean processed(UUID eventId) {
        return APP.<TestApiServerApplication>getApplication().jdbi().withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM processed_events WHERE consumer = :group AND event_id = :id)")
                .bind("group", io.tribune.api.kafka.PushExpiryConsumer.GROUP).bind("id", eventId)
                .mapTo(Boolean.class).one());
    }

    private static UUID publish(EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApps.urls().kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
        return event.id();
    }

    private static Map<String, Object> subscription(String endpoint, String p256dh, String auth) {
        return Map.of("endpoint", endpoint, "keys", Map.of("p256dh", p256dh, "auth", auth));
    }

    /** A fresh P-256 public key as a browser sends it: the uncompressed point, base64url. */
    private static String userAgentKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        copy(key.getW().getAffineX().toByteArray(), point, 1);
        copy(key.getW().getAffineY().toByteArray(), point, 33);
        return b64(point);
    }

    private static void copy(byte[] unsigned, byte[] into, int offset) {
        int length = Math.min(32, unsigned.length);
        System.arraycopy(unsigned, unsigned.length - length, into, offset + 32 - length, length);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void assertError(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.json().path("code").asText()).as(answer.toString()).isEqualTo(code);
    }
}
