package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench channel}: meeting-channel WebSockets on one api-server of a temporary Tribune. Guests join one big
 * room (1,000 by default) and many rooms of 10, up to 10,000 connections (each a real join: REST join, join token,
 * WebSocket, auth, welcome). Then one member of the big room sends chat messages carrying their send time, and
 * every member's arrival time gives the fan-out latency; a burst from several members gives messages delivered per
 * second. Memory per connection is the server's resident-set growth divided by the connections. The load client
 * runs in this JVM, on the same cores as the server.
 */
final class ChannelBenchmark implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL_ROOM = 10;
    private static final int FANOUT_MESSAGES = 20;
    private static final int BURST_SENDERS = 10;
    private static final int BURST_PER_SENDER = 20;
    private static final int CLIENTS = 8;
    private static final int CONNECTING_AT_ONCE = 32;

    @Override
    public String name() {
        return "channel";
    }

    @Override
    public String description() {
        return "10,000 meeting-channel WebSockets, chat fan-out to a room of 1,000 (connected, fanout_p50_ms, "
                + "fanout_p99_ms, msgs_per_s, kib_per_conn)";
    }

    /** One connected member: its socket and the arrival times (nanoTime) of the fan-out messages it heard. */
    private static final class Member implements WebSocket.Listener {
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        final ConcurrentLinkedQueue<long[]> heard;
        final AtomicLong delivered;
        WebSocket socket;

        Member(ConcurrentLinkedQueue<long[]> heard, AtomicLong delivered) {
            this.heard = heard;
            this.delivered = delivered;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (text.startsWith("{\"type\":\"welcome\"")) {
                    welcomed.complete(null);
                } else if (text.startsWith("{\"type\":\"chat.message\"")) {
                    long now = System.nanoTime();
                    delivered.incrementAndGet();
                    int at = text.indexOf("fanout ");
                    if (at >= 0) {
                        int end = text.indexOf('"', at);
                        heard.add(new long[] {Long.parseLong(text.substring(at + 7, end)), now});
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            welcomed.completeExceptionally(error);
        }
    }

    @Override
    public Result run(List<String> args) throws Exception {
        int total = option(args, "--connections", 10_000);
        int bigRoom = Math.min(option(args, "--room", 1_000), total);
        try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
            platform.start();
            String api = platform.apiUrl();
            long serverPid = platform.componentPid("api-server");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
            String password = "bench-" + UUID.randomUUID();
            post(http, api + "/api/v1/users/register", null, Map.of("username", "chan" + System.nanoTime() % 100000,
                    "email", email, "password", password));
            JsonNode login = post(http, api + "/api/v1/users/login", null, Map.of("email", email, "password",
                    password));
            String token = login.path("token").asText();
            String hostId = login.path("user_id").asText();

            List<String[]> rooms = new ArrayList<>(); // {meeting id, passcode, size}
            rooms.add(meeting(http, api, token, hostId, "Town square", bigRoom + 10, 0));
            int smallRooms = (total - bigRoom + SMALL_ROOM - 1) / SMALL_ROOM;
            for (int i = 0; i < smallRooms; i++) {
                rooms.add(meeting(http, api, token, hostId, "Team " + i, SMALL_ROOM + 5, i + 1));
            }
            System.err.printf(Locale.ROOT, "%d rooms scheduled; connecting %d members%n", rooms.size(), total);

            long rssBefore = rssKib(serverPid);
            ConcurrentLinkedQueue<long[]> heard = new ConcurrentLinkedQueue<>();
            AtomicLong delivered = new AtomicLong();
            // Connection tasks block on their futures, so they run on a pool of their own: the clients' callbacks
            // run on the clients' executors, never waiting behind a blocked task.
            ExecutorService executor = Executors.newFixedThreadPool(CONNECTING_AT_ONCE);
            List<HttpClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build());
            }
            List<Member> big = Collections.synchronizedList(new ArrayList<>());
            List<Member> all = Collections.synchronizedList(new ArrayList<>());
            Semaphore inFlight = new Semaphore(CONNECTING_AT_ONCE);
            List<CompletableFuture<Void>> connecting = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < total; i++) {
                String[] room = i < bigRoom ? rooms.get(0) : rooms.get(1 + (i - bigRoom) / SMALL_ROOM);
                boolean inBig = i < bigRoom;
                HttpClient client = clients.get(i % CLIENTS);
                inFlight.acquire();
                int index = i;
                connecting.add(CompletableFuture.runAsync(() -> {
                    try {
                        String joinToken = post(http, api + "/api/v1/meetings/" + room[0] + "/join", null,
                                Map.of("display_name", "guest " + index, "passcode", room[1]))
                                .path("join_token").asText();
                        Member member = new Member(heard, delivered);
                        member.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                                .buildAsync(URI.create(api.replace("http://", "ws://") + "/api/v1/channel"), member)
                                .get(60, TimeUnit.SECONDS);
                        member.socket.sendText(JSON.writeValueAsString(Map.of("type", "auth", "token",
                                joinToken)), true).get(30, TimeUnit.SECONDS);
                        member.welcomed.get(60, TimeUnit.SECONDS);
                        all.add(member);
                        if (inBig) {
                            big.add(member);
                        }
                    } catch (Exception e) {
                        System.err.println("a member could not connect: " + e);
                    } finally {
                        inFlight.release();
                    }
                }, executor));
                if ((i + 1) % 1000 == 0) {
                    System.err.printf(Locale.ROOT, "  %d started, %.0f/s%n", i + 1,
                            (i + 1) / ((System.nanoTime() - started) / 1e9));
                }
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).join();
            double setupSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(3000); // roster events of the last joins settle
            long rssAfter = rssKib(serverPid);
            System.err.printf(Locale.ROOT, "%d of %d connected in %.1f s (%.0f/s); big room %d%n", all.size(), total,
                    setupSeconds, all.size() / setupSeconds, big.size());

            // Fan-out: one message every 500 ms from one member of the big room to all of it.
            Member speaker = big.get(0);
            for (int m = 0; m < FANOUT_MESSAGES; m++) {
                speaker.socket.sendText(JSON.writeValueAsString(Map.of("type", "chat.send", "client_id", "f" + m,
                        "text", "fanout " + System.nanoTime())), true).get(10, TimeUnit.SECONDS);
                Thread.sleep(500);
            }
            Thread.sleep(2000);
            List<Double> latencies = new ArrayList<>();
            for (long[] sample : heard) {
                latencies.add((sample[1] - sample[0]) / 1e6);
            }
            Collections.sort(latencies);
            int expected = FANOUT_MESSAGES * big.size();
            System.err.printf(Locale.ROOT, "fan-out: %d of %d deliveries%n", latencies.size(), expected);

            // Throughput: a burst from several members of the big room.
            long deliveredBefore = delivered.get();
            long burstStart = System.nanoTime();
            for (int m = 0; m < BURST_PER_SENDER; m++) {
                for (int s = 1; s <= BURST_SENDERS && s < big.size(); s++) {
                    big.get(s).socket.sendText("{\"type\":\"chat.send\",\"client_id\":\"b" + m
                            + "\",\"text\":\"burst\"}", true);
                }
                Thread.sleep(100); // 10/s per sender: inside the channel's per-connection rate limit
            }
            long burstExpected = (long) BURST_PER_SENDER * Math.min(BURST_SENDERS, big.size() - 1) * big.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() - deliveredBefore < burstExpected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
            double perSecond = (delivered.get() - deliveredBefore) / burstSeconds;

            for (Member member : all) {
                member.socket.abort();
            }
            executor.shutdownNow();
            return new Result(List.of(
                    "connected=" + all.size(),
                    format("connect_per_s", all.size() / setupSeconds, 0),
                    format("fanout_p50_ms", percentile(latencies, 0.50), 1),
                    format("fanout_p99_ms", percentile(latencies, 0.99), 1),
                    format("fanout_delivered_pct", 100.0 * latencies.size() / Math.max(1, expected), 1),
                    format("msgs_per_s", perSecond, 0),
                    format("kib_per_conn", (rssAfter - rssBefore) / (double) Math.max(1, all.size()), 1),
                    "room=" + big.size(),
                    "runs=1"));
        }
    }

    private static String[] meeting(HttpClient http, String api, String token, String hostId, String title,
                                    int capacity, int slot) throws Exception {
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        JsonNode created = post(http, api + "/api/v1/meetings", token, Map.of("title", title,
                "start_time", start.toString(), "end_time", start.plus(1, ChronoUnit.HOURS).toString(),
                "host_id", hostId, "participants", List.of(), "allow_overlap", true,
                "settings", Map.of("lobby", false, "join_before_host", true, "allow_guests", true,
                        "max_participants", capacity)));
        return new String[] {created.path("meeting_id").asText(), created.path("settings").path("passcode").asText()};
    }

    private static JsonNode post(HttpClient http, String url, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static int option(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
    }

    private static String format(String key, double value, int decimals) {
        return key + "=" + String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
