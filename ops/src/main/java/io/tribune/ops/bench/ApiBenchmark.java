package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench api}: a temporary Tribune (its own data and ports), one registered user with one meeting, then
 * {@code wrk} drives, in turn, {@code GET /api/v1/meetings/{id}}, {@code POST .../join} and
 * {@code POST /api/v1/users/login} over keep-alive connections. Requests/s and p50/p99 latency per endpoint, median
 * over the runs, and the api-server process's CPU time per request ({@code /proc}), which other load on the machine
 * does not inflate. Everything runs on this machine: server, PostgreSQL, Redis, Kafka and wrk share the cores.
 */
final class ApiBenchmark implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SECONDS = 10;
    private static final int WARM_UP_SECONDS = 10;
    private static final int WARM_UP_ROUNDS = 4;
    private static final int CONNECTIONS = 32;
    private static final int LOGIN_CONNECTIONS = 4;

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String description() {
        return "HTTP load on GET meeting, join and login with wrk (get_rps, get_p99_ms, join_rps, join_p99_ms, login_rps)";
    }

    @Override
    public Result run(List<String> args) throws Exception {
        Wrk.requireInstalled();
        int runs = Benchmarks.runs(args, 3);
        try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
            platform.start();
            String api = platform.apiUrl();
            String password = "bench-" + UUID.randomUUID();
            String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
            post(api + "/api/v1/users/register", null, Map.of("username", "bench" + System.nanoTime() % 100000,
                    "email", email, "password", password), 201);
            JsonNode login = post(api + "/api/v1/users/login", null, Map.of("email", email, "password", password),
                    200);
            String token = login.path("token").asText();
            String userId = login.path("user_id").asText();
            Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
            ObjectNode meeting = JSON.createObjectNode()
                    .put("title", "Benchmark sync")
                    .put("start_time", start.toString())
                    .put("end_time", start.plus(1, ChronoUnit.HOURS).toString())
                    .put("host_id", userId);
            meeting.putArray("participants");
            meeting.putObject("settings").put("lobby", false).put("max_participants", 1000);
            String meetingId = post(api + "/api/v1/meetings", token, meeting, 201).path("meeting_id").asText();
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
            String getUrl = api + "/api/v1/meetings/" + meetingId;
            String joinUrl = api + "/api/v1/meetings/" + meetingId + "/join";
            String joinBody = JSON.writeValueAsString(Map.of("user_id", userId));
            String loginBody = JSON.writeValueAsString(Map.of("email", email, "password", password));

            long serverPid = platform.componentPid("api-server");

            // Warm-up: connection pools, caches and above all the JIT. On two busy cores C2 needs over a minute of
            // load before the request, JSON and signing paths run compiled; a cold server is 3-5x slower.
            for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                Wrk.run("GET", getUrl, auth, null, CONNECTIONS, WARM_UP_SECONDS);
                Wrk.run("POST", joinUrl, auth, joinBody, CONNECTIONS, WARM_UP_SECONDS);
            }
            Wrk.run("POST", api + "/api/v1/users/login", Map.of(), loginBody, LOGIN_CONNECTIONS, 2);

            List<Wrk.Measurement> gets = new ArrayList<>();
            List<Wrk.Measurement> joins = new ArrayList<>();
            List<Wrk.Measurement> logins = new ArrayList<>();
            List<Double> getCpu = new ArrayList<>();
            List<Double> joinCpu = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                double before = ProcessCpu.seconds(serverPid);
                gets.add(Wrk.run("GET", getUrl, auth, null, CONNECTIONS, SECONDS));
                double afterGets = ProcessCpu.seconds(serverPid);
                joins.add(Wrk.run("POST", joinUrl, auth, joinBody, CONNECTIONS, SECONDS));
                double afterJoins = ProcessCpu.seconds(serverPid);
                logins.add(Wrk.run("POST", api + "/api/v1/users/login", Map.of(), loginBody, LOGIN_CONNECTIONS,
                        SECONDS));
                getCpu.add((afterGets - before) * 1000 / last(gets).requests());
                joinCpu.add((afterJoins - afterGets) * 1000 / last(joins).requests());
                System.err.printf(Locale.ROOT, "run %d/%d: get %.0f/s p99 %.1f ms (server CPU %.3f ms each), join"
                                + " %.0f/s p99 %.1f ms (%.3f ms), login %.0f/s p99 %.1f ms%n", i, runs,
                        last(gets).requestsPerSecond(), last(gets).p99Millis(), last(getCpu),
                        last(joins).requestsPerSecond(), last(joins).p99Millis(), last(joinCpu),
                        last(logins).requestsPerSecond(), last(logins).p99Millis());
            }
            return new Result(List.of(
                    format("get_rps", median(gets, Wrk.Measurement::requestsPerSecond), 0),
                    format("get_p50_ms", median(gets, Wrk.Measurement::p50Millis), 2),
                    format("get_p99_ms", median(gets, Wrk.Measurement::p99Millis), 2),
                    format("get_server_cpu_ms", Benchmarks.median(getCpu), 3),
                    format("join_rps", median(joins, Wrk.Measurement::requestsPerSecond), 0),
                    format("join_p50_ms", median(joins, Wrk.Measurement::p50Millis), 2),
                    format("join_p99_ms", median(joins, Wrk.Measurement::p99Millis), 2),
                    format("join_server_cpu_ms", Benchmarks.median(joinCpu), 3),
                    format("login_rps", median(logins, Wrk.Measurement::requestsPerSecond), 1),
                    format("login_p99_ms", median(logins, Wrk.Measurement::p99Millis), 1),
                    "connections=" + CONNECTIONS,
                    "runs=" + runs));
        }
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static double median(List<Wrk.Measurement> list,
                                 java.util.function.ToDoubleFunction<Wrk.Measurement> value) {
        return Benchmarks.median(list.stream().map(value::applyAsDouble).toList());
    }

    private static String format(String key, double value, int decimals) {
        return key + "=" + String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static JsonNode post(String url, String token, Object body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }
}
