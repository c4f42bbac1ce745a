package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.ChannelClient;
import io.tribune.api.TestApps;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.platform.PlatformExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files shared in a meeting through the channel (offer, signed upload link, {@code file.shared} notice), the
 * bytes in the platform's real S3 (S3Proxy) and their metadata in PostgreSQL; downloads through signed,
 * expiring links; refusals for size, type and forged links.
 */
@ExtendWith(PlatformExtension.class)
class MeetingFilesIT {

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    MeetingTestSupport support;
    ApiClient api;

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    private String meeting(Account host, Account... invitees) {
        return support.create(host, "participants", List.of(invitees).stream().map(Account::id).toList(),
                "settings", Map.of("lobby", false, "join_before_host", true)).path("meeting_id").asText();
    }

    private ChannelClient connect(Account account, String meetingId) {
        Answer joined = api.post("/api/v1/meetings/" + meetingId + "/join", account.token(),
                Map.of("user_id", account.id()));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        ChannelClient client = ChannelClient.connect(APP.getLocalPort());
        client.send(Map.of("type", "auth", "token", joined.json().path("join_token").asText(), "after", 0));
        client.welcome();
        return client;
    }

    private HttpResponse<byte[]> put(String path, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The link with the last character of its signature changed. */
    private static String forged(String link) {
        char last = link.charAt(link.length() - 1);
        return link.substring(0, link.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aSharedFileIsAnnouncedAndEveryMemberDownloadsItIntactThroughItsSignedLink() throws Exception {
        Account host = support.member();
        Account member = support.member();
        String meetingId = meeting(host, member);
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        try (ChannelClient hostChannel = connect(host, meetingId);
             ChannelClient memberChannel = connect(member, meetingId)) {
            hostChannel.send(Map.of("type", "file.offer", "name", "../notes \"Q3\".pdf", "size", bytes.length,
                    "content_type", "application/pdf", "client_id", "up-1"));
            JsonNode offer = hostChannel.await("file.upload");
            assertThat(offer.path("client_id").asText()).isEqualTo("up-1");
            String uploadUrl = offer.path("upload_url").asText();

            HttpResponse<byte[]> uploaded = put(uploadUrl, "application/pdf", bytes);
            assertThat(uploaded.statusCode()).as(new String(uploaded.body(), StandardCharsets.UTF_8)).isEqualTo(201);
            assertThat(put(uploadUrl, "application/pdf", bytes).statusCode()).as("a link uploads once")
                    .isEqualTo(409);

            JsonNode shared = memberChannel.await("file.shared").path("file");
            assertThat(shared.path("name").asText()).isEqualTo("notes Q3.pdf");
            assertThat(shared.path("size").asLong()).isEqualTo(bytes.length);
            assertThat(shared.path("uploaded_by").asText()).isEqualTo(host.id());
            assertThat(shared.path("sha256").asText())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));

            HttpResponse<byte[]> downloaded = get(shared.path("url").asText());
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(downloaded.body()).isEqualTo(bytes);
            assertThat(downloaded.headers().firstValue("Content-Disposition").orElseThrow())
                    .startsWith("attachment;").contains("notes Q3.pdf");
            assertThat(downloaded.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            HttpResponse<byte[]> forged = get(forged(shared.path("url").asText()));
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(json(forged).path("code").asText()).isEqualTo("link_invalid");
            HttpResponse<byte[]> extended = get(shared.path("url").asText().replaceAll("expires=\\d+",
                    "expires=99999999999"));
            assertThat(extended.statusCode()).as("the expiry is part of the signature").isEqualTo(403);

            // Someone joining later finds the file in the welcome, with a fresh link.
            try (ChannelClient late = connect(member, meetingId)) {
                JsonNode files = late.welcome().path("files");
                assertThat(files.findValuesAsText("file_id")).containsExactly(shared.path("file_id").asText());
                assertThat(get(files.get(0).path("url").asText()).body()).isEqualTo(bytes);
            }
        }
    }

    @Test
    void refusesFilesTooLargeOfARefusedTypeOrNotAsOfferedAndListsNothingForThem() throws Exception {
        Account host = support.member();
        String meetingId = meeting(host);
        try (ChannelClient channel = connect(host, meetingId)) {
            channel.send(Map.of("type", "file.offer", "name", "movie.pdf", "size", 26L * 1024 * 1024,
                    "content_type", "application/pdf"));
            JsonNode tooLarge = channel.await("error");
            assertThat(tooLarge.path("code").asText()).isEqualTo("file_too_large");
            assertThat(tooLarge.path("message").asText()).contains("25.0 MiB");

            channel.send(Map.of("type", "file.offer", "name", "page.html", "size", 10, "content_type", "text/html"));
            assertThat(channel.await("error").path("code").asText()).isEqualTo("file_type_refused");
            channel.send(Map.of("type", "file.offer", "name", "empty.txt", "size", 0, "content_type", "text/plain"));
            assertThat(channel.await("error").path("code").asText()).isEqualTo("empty_file");

            channel.send(Map.of("type", "file.offer", "name", "a.txt", "size", 5, "content_type", "text/plain"));
            String uploadUrl = channel.await("file.upload").path("upload_url").asText();
            HttpResponse<byte[]> wrongType = put(uploadUrl, "text/html", "<b>x</b>".getBytes(StandardCharsets.UTF_8));
            assertThat(wrongType.statusCode()).isEqualTo(415);
            JsonNode problem = json(wrongType);
            assertThat(problem.path("code").asText()).isEqualTo("file_type_refused");
            assertThat(problem.has("message") && problem.has("details")).isTrue();

            HttpResponse<byte[]> larger = put(uploadUrl, "text/plain", "more than five".getBytes(StandardCharsets.UTF_8));
            assertThat(larger.statusCode()).isEqualTo(413);
            assertThat(json(larger).path("code").asText()).isEqualTo("file_too_large");
            assertThat(json(larger).path("details").path("max_size").asLong()).isEqualTo(5);

            HttpResponse<byte[]> forged = put(forged(uploadUrl), "text/plain",
                    "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(forged.statusCode()).isEqualTo(403);

            channel.send(Map.of("type", "file.list"));
            assertThat(channel.await("file.list").path("files").size()).as("nothing was shared").isZero();
        }
    }
}
