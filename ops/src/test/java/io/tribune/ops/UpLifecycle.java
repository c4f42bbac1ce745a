package io.tribune.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole {@code tribune up} lifecycle with real processes: up, status, refusal of a second up, SIGKILL of the
 * supervisor (its services must not outlive it), restart on the same data, down. Run by {@link BrowserJourneysIT}
 * on its {@code tribune up}: the checks of a fresh up and the kill and restart before the journeys (so the kill
 * finds the services as freshly started as a class of its own did), which then run on the restarted Tribune, and
 * the down after them. The suite so starts Tribune twice for both instead of three times.
 */
final class UpLifecycle {

    private UpLifecycle() {
    }

    /**
     * A fresh {@code tribune up} is running: its run state and {@code tribune status} list every part, the SFU and
     * the town-hall services answer, the printed admin login works, a registration's verification mail reaches the
     * dev mailbox, and a second {@code tribune up} is refused.
     */
    static void checkRunning(TribuneUp tribune) throws Exception {
        Map<String, String> env = tribune.env();
        Settings settings = tribune.settings();
        RunState state = RunState.read(settings).orElseThrow();
        assertThat(state.phase()).isEqualTo("running");
        assertThat(state.components()).extracting(RunState.ComponentState::name)
                .containsExactly("postgres", "kafka", "redis", "s3", "smtp", "api-server", "sfu",
                        "notification-worker", "recording-archive", "transcription-worker", "hls-packager",
                        "transcoder");

        TribuneUp.CliRun status = TribuneUp.cli(env, "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("postgres +up +" + env.get("TRIBUNE_POSTGRES_PORT")
                + " +PostgreSQL");
        assertThat(status.output()).containsPattern("kafka +up").containsPattern("redis +up +\\d+ +Redis")
                .containsPattern("s3 +up").containsPattern("api-server +up").containsPattern("sfu +up")
                .containsPattern("smtp +up")
                .containsPattern("notification-worker +up .*group notification-worker, lag \\d+")
                .containsPattern("recording-archive +up .*group recording-archive, lag \\d+")
                .containsPattern("transcription-worker +up .*group transcription-worker, 1 consumer\\(s\\), lag \\d+");

        // The join answer sends browsers to this SFU node, which accepts the api-server's tokens.
        HttpResponse<String> sfuHealth = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + env.get("TRIBUNE_SFU_ADMIN_PORT") + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sfuHealth.statusCode()).as(sfuHealth.body()).isEqualTo(200);

        // Town halls: a presenter's SRT stream reaches the origin, which wants a signed request.
        TownHalls.assertSrtReachesTheOrigin(settings);

        HttpResponse<String> apiStatus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + env.get("TRIBUNE_API_PORT") + "/api/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(apiStatus.statusCode()).isEqualTo(200);
        assertThat(apiStatus.body()).contains("api-server");

        String adminLogin = "{\"email\":\"" + Secrets.ADMIN_EMAIL + "\",\"password\":\""
                + Secrets.adminPassword(settings) + "\"}";
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + env.get("TRIBUNE_API_PORT") + "/api/v1/users/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(adminLogin)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as("the printed admin login works: %s", login.body()).isEqualTo(200);
        assertThat(Files.getPosixFilePermissions(Secrets.directory(settings).resolve("admin-password")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        // The whole mail path: registration -> outbox -> Kafka -> notification-worker -> the dev mailbox.
        HttpResponse<String> register = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + env.get("TRIBUNE_API_PORT") + "/api/v1/users/register"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ada\",\"email\":"
                                + "\"ada@example.org\",\"password\":\"Correct-Horse-Battery-9\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(register.statusCode()).as(register.body()).isBetween(200, 201);
        String mailbox = "http://127.0.0.1:" + env.get("TRIBUNE_MAILBOX_PORT") + "/";
        long mailDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String page = "";
        while (System.nanoTime() < mailDeadline
                && !(page.contains("ada@example.org") && page.contains("Confirm your email address"))) {
            page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(mailbox)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(250);
        }
        assertThat(page).as("the verification mail in the dev mailbox").contains("ada@example.org")
                .contains("Confirm your email address for Tribune");

        assertThatThrownBy(() -> TribuneUp.cli(env, "up")).isInstanceOf(CliException.class)
                .hasMessageContaining("already running");
    }

    /**
     * A SIGKILL of the supervisor takes every service with it (none may outlive it), {@code tribune down} then stops
     * what it left behind (the embedded parts) and frees their ports, and {@code tribune up} again on the same data
     * keeps what PostgreSQL held. Leaves {@code tribune} running (the second supervisor) for what follows.
     */
    static void killAndUpAgain(TribuneUp tribune) throws Exception {
        Map<String, String> env = tribune.env();
        Settings settings = tribune.settings();
        RunState state = RunState.read(settings).orElseThrow();
        DbSecrets db = DbSecrets.read(settings);
        String jdbcUrl = state.components().get(0).url();
        sql(jdbcUrl, db, "create table survives_restart(note text); insert into survives_restart values ('kept')");

        long apiPid = state.components().get(5).pid();
        long sfuPid = state.components().get(6).pid();
        long workerPid = state.components().get(7).pid();
        long archivePid = state.components().get(8).pid();
        long transcriptionPid = state.components().get(9).pid();
        long packagerPid = state.components().get(10).pid();
        long transcoderPid = state.components().get(11).pid();
        tribune.killSupervisor();
        awaitDead(apiPid, Duration.ofSeconds(10));
        awaitDead(sfuPid, Duration.ofSeconds(10));
        awaitDead(workerPid, Duration.ofSeconds(10));
        awaitDead(archivePid, Duration.ofSeconds(10));
        awaitDead(transcriptionPid, Duration.ofSeconds(10));
        awaitDead(packagerPid, Duration.ofSeconds(10));
        awaitDead(transcoderPid, Duration.ofSeconds(10));
        TribuneUp.CliRun cleanup = TribuneUp.cli(env, "down");
        assertThat(cleanup.output()).contains("stopped what it left behind").contains("postgres").contains("redis");
        assertThat(Ports.isFree(Integer.parseInt(env.get("TRIBUNE_POSTGRES_PORT")))).isTrue();
        assertThat(Ports.isFree(Integer.parseInt(env.get("TRIBUNE_REDIS_PORT")))).isTrue();

        tribune.upAgain();
        assertThat(sql(jdbcUrl, DbSecrets.read(settings), "select note from survives_restart")).isEqualTo("kept");
    }

    /**
     * {@code tribune down} ends it all: the supervisor exits, every port is released and no run state is left, so
     * {@code tribune status} says nothing runs (exit code 3). Ends {@code tribune}.
     */
    static void downReleasesEverything(TribuneUp tribune) throws Exception {
        Map<String, String> env = tribune.env();
        Settings settings = tribune.settings();
        RunState state = RunState.read(settings).orElseThrow();
        TribuneUp.CliRun down = TribuneUp.cli(env, "down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(tribune.supervisor().waitFor(60, TimeUnit.SECONDS)).as("supervisor exits after down").isTrue();
        for (RunState.ComponentState component : RunState.read(settings).map(RunState::components)
                .orElse(state.components())) {
            assertThat(Ports.isFree(component.port())).as(component.name() + " port released").isTrue();
        }
        assertThat(RunState.read(settings)).isEmpty();
        assertThat(TribuneUp.cli(env, "status").exitCode()).isEqualTo(3);
    }

    private static String sql(String jdbcUrl, DbSecrets db, String statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, db.user(), db.password());
             Statement statement = connection.createStatement()) {
            if (statement.execute(statements)) {
                try (ResultSet rs = statement.getResultSet()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
            return null;
        }
    }

    private static void awaitDead(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("service pid " + pid + " outlived its killed supervisor");
    }
}
