package io.tribune.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code tribune status}: asks every component of the running platform whether it answers, over its own protocol
 * (SQL, the Kafka admin API, RESP, HTTP), and prints one line each. Exit status 0 when all are up.
 */
final class StatusCommand {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a loaded two-core machine can take seconds for a first Kafka metadata round trip. */
    private static final int PROBE_TIMEOUT_MS = 10_000;

    /** One probe result. */
    record Probe(String name, boolean up, int port, String version, String detail) {
    }

    private StatusCommand() {
    }

    static int run(Settings settings, PrintStream out) {
        var maybeState = RunState.read(settings);
        if (maybeState.isEmpty() || !maybeState.get().supervisorAlive()) {
            out.println("Tribune is not running (data dir " + settings.dataDir() + "). Start it: ops/tribune up");
            return 3;
        }
        RunState state = maybeState.get();
        if (!"running".equals(state.phase())) {
            out.println("Tribune is starting (pid " + state.supervisorPid() + ") ...");
            return 1;
        }
        DbSecrets db = DbSecrets.read(settings);
        // In parallel: on a busy machine one slow answer (Kafka's metadata round trip) must not add up with others.
        List<CompletableFuture<Probe>> pending = new ArrayList<>();
        for (RunState.ComponentState component : state.components()) {
            pending.add(CompletableFuture.supplyAsync(() -> probe(component, db)));
        }
        List<Probe> probes = pending.stream().map(CompletableFuture::join).toList();
        out.printf(Locale.ROOT, "Tribune %s (supervisor pid %d, up %s)%n%n", Version.TRIBUNE, state.supervisorPid(),
                uptime(state.startedAtMillis()));
        out.printf(Locale.ROOT, "%-12s %-5s %-6s %-22s %s%n", "COMPONENT", "STATE", "PORT", "VERSION", "DETAIL");
        boolean allUp = true;
        for (Probe probe : probes) {
            allUp &= probe.up();
            out.printf(Locale.ROOT, "%-12s %-5s %-6s %-22s %s%n", probe.name(), probe.up() ? "up" : "DOWN",
                    probe.port() > 0 ? Integer.toString(probe.port()) : "-", truncate(probe.version(), 22),
                    probe.detail());
        }
        out.println();
        out.println("Open " + state.openUrl());
        return allUp ? 0 : 1;
    }

    static Probe probe(RunState.ComponentState component, DbSecrets db) {
        String kind = "external".equals(component.kind()) ? " (external)" : "";
        try {
            return switch (component.name()) {
                case "postgres" -> postgres(component, db, kind);
                case "kafka" -> kafka(component, kind);
                case "redis" -> redis(component, kind);
                case "s3" -> s3(component, kind);
                case "smtp" -> smtp(component);
                default -> service(component);
            };
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Probe(component.name(), false, component.port(), component.version(),
                    truncate(message.replaceAll("\\s+", " "), 100) + kind);
        }
    }

    private static Probe postgres(RunState.ComponentState c, DbSecrets db, String kind) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "10");
        try (Connection connection = DriverManager.getConnection(c.url(), props);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("show server_version")) {
            rs.next();
            return new Probe("postgres", true, c.port(), "PostgreSQL " + rs.getString(1).split(" ")[0],
                    c.url() + kind);
        }
    }

    private static Probe kafka(RunState.ComponentState c, String kind) throws Exception {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.url(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_MS);
        try (Admin admin = Admin.create(config)) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS));
            int brokers = cluster.nodes().get(PROBE_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS).size();
            String clusterId = cluster.clusterId().get(PROBE_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
            return new Probe("kafka", true, c.port(), c.version(),
                    brokers + " broker(s), cluster " + clusterId + kind);
        }
    }

    private static Probe redis(RunState.ComponentState c, String kind) throws Exception {
        URI uri = URI.create(c.url());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()),
                    PROBE_TIMEOUT_MS);
            socket.setSoTimeout(PROBE_TIMEOUT_MS);
            OutputStream output = socket.getOutputStream();
            output.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            output.flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String header = reader.readLine();
            if (header == null || header.startsWith("-")) {
                throw new IllegalStateException("redis answered " + header);
            }
            String version = "";
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                if (line.startsWith("redis_version:")) {
                    version = "Redis " + line.substring("redis_version:".length()).trim();
                    break;
                }
            }
            return new Probe("redis", true, c.port(), version, c.url() + kind);
        }
    }

    private static Probe s3(RunState.ComponentState c, String kind) throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(c.url()))
                .timeout(Duration.ofMillis(PROBE_TIMEOUT_MS)).GET().build(), HttpResponse.BodyHandlers.discarding());
        // An unsigned request gets 403 from any S3 API: what matters is that it answered as one.
        return new Probe("s3", true, c.port(), c.version(), c.url() + " (HTTP " + response.statusCode() + ")" + kind);
    }

    /** The dev mailbox: an SMTP greeting (220) on its port. */
    private static Probe smtp(RunState.ComponentState c) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", c.port()), PROBE_TIMEOUT_MS);
            socket.setSoTimeout(PROBE_TIMEOUT_MS);
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String greeting = reader.readLine();
            if (greeting == null || !greeting.startsWith("220")) {
                throw new IllegalStateException("smtp answered " + greeting);
            }
            socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return new Probe("smtp", true, c.port(), c.version(), "dev mailbox " + c.url());
        }
    }

    private static Probe service(RunState.ComponentState c) throws Exception {
        boolean alive = ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return new Probe(c.name(), false, c.port(), c.version(), "process " + c.pid() + " is gone");
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(c.healthUrl()))
                .timeout(Duration.ofMillis(PROBE_TIMEOUT_MS)).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<String> unhealthy = new ArrayList<>();
        String consumer = "";
        try {
            JsonNode checks = JSON.readTree(response.body());
            // Workers report their Kafka consumer group and lag in this check's message.
            if (checks.path("kafka-consumer").path("healthy").asBoolean(false)) {
                consumer = ", " + checks.path("kafka-consumer").path("message").asText("");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = checks.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> check = it.next();
                if (!check.getValue().path("healthy").asBoolean(false)) {
                    unhealthy.add(check.getKey() + ": " + check.getValue().path("message").asText(""));
                }
            }
        } catch (Exception e) {
            unhealthy.add("health answer is not JSON");
        }
        boolean up = response.statusCode() == 200 && unhealthy.isEmpty();
        String detail = up ? "pid " + c.pid() + ", all health checks pass, " + c.url() + consumer
                : "pid " + c.pid() + ", unhealthy: " + String.join("; ", unhealthy);
        return new Probe(c.name(), up, c.port(), c.version(), detail);
    }

    private static String uptime(long startedAtMillis) {
        Duration d = Duration.ofMillis(System.currentTimeMillis() - startedAtMillis);
        return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min"
                : d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
