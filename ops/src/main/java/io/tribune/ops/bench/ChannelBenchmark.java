package io.tribune.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench channel}: meeting-channel WebSockets on one api-server of a temporary Tribune. Guests join one big
 * room (1,000 by default) and many rooms of 10, up to 10,000 connections. Every connection is the product's own
 * path: a REST join as a guest with the passcode (a fresh ES256 join token), a WebSocket, the {@code auth} message
 * with that token, and the {@code welcome} (roster, history, files) before it counts as connected; each then pings
 * every 25 s as the web client does, so the server's idle timeout never closes it.
 *
 * <p>Then, {@code --runs} times: one member of the big room sends 20 chat messages 500 ms apart, each carrying its
 * send time, and every member's arrival time gives the fan-out latency; a burst from 10 members (10 messages a
 * second each, the channel's rate limit) gives chat messages delivered per second. The result line has the medians
 * of the runs. Memory per connection is the server's resident-set growth divided by the connections
 * ({@code kib_per_conn}), and its live heap after a full GC likewise ({@code heap_kib_per_conn}).
 *
 * <p>The load client runs in this JVM, on the same cores as the server: a few {@link HttpClient}s (one selector
 * thread each) sharing one small callback pool, no thread per connection.
 */
final class ChannelBenchmark implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL_ROOM = 10;
    private static final int FANOUT_MESSAGES = 20;
    private static final long FANOUT_INTERVAL_MS = 500;
    private static final int BURST_SENDERS = 10;
    private static final int BURST_PER_SENDER = 20;
    /** WebSocket clients: each has one selector thread; the connections are spread over them. */
    private static final int CLIENTS = 4;
    private static final int CALLBACK_THREADS = 4;
    /** Joins in flight at once (REST join, WebSocket, auth, welcome), by default. */
    private static final int CONNECTING_AT_ONCE = 64;
    /** As the web client does (channel.js); the server closes a connection idle for 90 s. */
    private static final int PING_SECONDS = 25;
    /** Connections not started by then are left out, so a run on a slow machine still ends. */
    private static final Duration SETUP_LIMIT = Duration.ofMinutes(4);

    @Override
    public String name() {
        return "channel";
    }

    @Override
    public String description() {
        return "10,000 meeting-channel WebSockets, chat fan-out to a room of 1,000 (connected, fanout_p50_ms, "
                + "fanout_p99_ms, msgs_per_s, kib_per_conn)";
    }

    /** What all members heard: fan-out samples {sent nanoTime, arrival nanoTime} and chat messages delivered. */
    private static final class Heard {
        final ConcurrentLinkedQueue<long[]> fanout = new ConcurrentLinkedQueue<>();
        final AtomicLong delivered = new AtomicLong();
        final AtomicInteger closedAfterWelcome = new AtomicInteger();
        volatile int run;
    }

    /** One connected member. Sends are chained: the JDK WebSocket allows one outstanding text send at a time. */
    private static final class Member implements WebSocket.Listener {
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        final Heard heard;
        /** Only while a message arrives in parts; dropped after it, so a large welcome leaves no big buffer. */
        private StringBuilder partial;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        volatile WebSocket socket;

        Member(Heard heard) {
            this.heard = heard;
        }

        synchronized CompletableFuture<?> send(String text) {
            WebSocket ws = socket;
            sending = sending.handle((ignored, error) -> null).thenCompose(ignored -> ws.sendText(text, true));
            return sending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String text = null;
            if (partial == null && last) {
                text = data.toString();
            } else {
                if (partial == null) {
                    partial = new StringBuilder(data.length() * 2);
                }
                partial.append(data);
                if (last) {
                    text = partial.toString();
                    partial = null;
                }
            }
            if (text != null) {
                handle(text);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            if (text.startsWith("{\"type\":\"chat.message\"")) {
                long now = System.nanoTime();
                heard.delivered.incrementAndGet();
                // "fanout RUN SENT_NANOS": a late message of an earlier run is not counted in this one.
                int at = text.indexOf("fanout ");
                if (at >= 0) {
                    String[] fields = text.substring(at, text.indexOf('"', at)).split(" ");
                    if (Integer.parseInt(fields[1]) == heard.run) {
                        heard.fanout.add(new long[] {Long.parseLong(fields[2]), now});
                    }
                }
            } else if (text.startsWith("{\"type\":\"welcome\"")) {
                welcomed.complete(null);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (welcomed.isDone()) {
                heard.closedAfterWelcome.incrementAndGet();
            }
            welcomed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
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
        int runs = Math.max(1, option(args, "--runs", 3));
        int connectingAtOnce = Math.max(1, option(args, "--connecting", CONNECTING_AT_ONCE));
        ExecutorService callbacks = Executors.newFixedThreadPool(CALLBACK_THREADS, daemon("channel-bench-callback"));
        ExecutorService connectors = Executors.newFixedThreadPool(connectingAtOnce, daemon("channel-bench-join"));
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(daemon("channel-bench-ping"));
        List<Member> all = Collections.synchronizedList(new ArrayList<>());
        try (TemporaryPlatform platform = TemporaryPlatform.fresh()) {
            // Only the api-server matters here: go on once it is ready (the SFU and the town-hall services start
            // meanwhile, during the first joins; they are idle by the time fan-out is measured).
            platform.startThrough("api-server");
            String api = platform.apiUrl();
            long serverPid = platform.servicePid("io.tribune.api.ApiServerApplication");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(callbacks)
                    .build();
            String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
            String password = "bench-" + UUID.randomUUID();
            post(http, api + "/api/v1/users/register", null, Map.of("username", "chan" + System.nanoTime() % 100000,
                    "email", email, "password", password));
            JsonNode login = post(http, api + "/api/v1/users/login", null, Map.of("email", email, "password",
                    password));
            String token = login.path("token").asText();
            String hostId = login.path("user_id").asText();

            // Rooms through the REST API, several at once: {meeting id, passcode}.
            int smallRooms = (total - bigRoom + SMALL_ROOM - 1) / SMALL_ROOM;
            List<CompletableFuture<String[]>> scheduling = new ArrayList<>();
            for (int i = 0; i <= smallRooms; i++) {
                int slot = i;
                scheduling.add(CompletableFuture.supplyAsync(() -> slot == 0
                        ? meeting(http, api, token, hostId, "Town square", bigRoom + 10)
                        : meeting(http, api, token, hostId, "Team " + slot, SMALL_ROOM + 5), connectors));
            }
            List<String[]> rooms = new ArrayList<>();
            for (CompletableFuture<String[]> room : scheduling) {
                rooms.add(room.get(120, TimeUnit.SECONDS));
            }
            System.err.printf(Locale.ROOT, "%d rooms scheduled; connecting %d members, %d at once%n", rooms.size(),
                    total, connectingAtOnce);

            long rssBefore = rssKib(serverPid);
            long heapBefore = liveHeapKib(serverPid);
            Heard heard = new Heard();
            List<HttpClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).executor(callbacks)
                        .build());
            }
            // Each member pings every PING_SECONDS: a slice of them every second.
            AtomicLong tick = new AtomicLong();
            pinger.scheduleAtFixedRate(() -> {
                long slice = tick.getAndIncrement() % PING_SECONDS;
                for (int i = (int) slice; i < all.size(); i += PING_SECONDS) {
                    all.get(i).send("{\"type\":\"ping\"}");
                }
            }, 1, 1, TimeUnit.SECONDS);

            List<Member> big = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            Semaphore inFlight = new Semaphore(connectingAtOnce);
            List<CompletableFuture<Void>> connecting = new ArrayList<>();
            URI channelUri = URI.create(api.replace("http://", "ws://") + "/api/v1/channel");
            long started = System.nanoTime();
            long setupDeadline = started + SETUP_LIMIT.toNanos();
            int launched = 0;
            for (int i = 0; i < total && System.nanoTime() < setupDeadline; i++) {
                String[] room = i < bigRoom ? rooms.get(0) : rooms.get(1 + (i - bigRoom) / SMALL_ROOM);
                boolean inBig = i < bigRoom;
                HttpClient client = clients.get(i % CLIENTS);
                if (!inFlight.tryAcquire(Math.max(1, setupDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                int index = i;
                launched++;
                connecting.add(CompletableFuture.runAsync(() -> {
                    try {
                        String joinToken = post(http, api + "/api/v1/meetings/" + room[0] + "/join", null,
                                Map.of("display_name", "guest " + index, "passcode", room[1]))
                                .path("join_token").asText();
                        Member member = new Member(heard);
                        member.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                                .buildAsync(channelUri, member).get(60, TimeUnit.SECONDS);
                        member.send(JSON.writeValueAsString(Map.of("type", "auth", "token", joinToken)))
                                .get(30, TimeUnit.SECONDS);
                        member.welcomed.get(60, TimeUnit.SECONDS);
                        all.add(member);
                        if (inBig) {
                            big.add(member);
                        }
                    } catch (Exception e) {
                        if (failures.incrementAndGet() <= 10) {
                            System.err.println("a member could not connect: " + e);
                        }
                    } finally {
                        inFlight.release();
                    }
                }, connectors));
                if ((i + 1) % 1000 == 0) {
                    System.err.printf(Locale.ROOT, "  %d started, %d connected, %.0f/s%n", i + 1, all.size(),
                            all.size() / ((System.nanoTime() - started) / 1e9));
                }
            }
            try {
                CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                System.err.println("some joins did not finish in time; counting those that did");
            }
            double setupSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(3000); // roster events of the last joins settle
            long rssAfter = rssKib(serverPid);
            long heapAfter = liveHeapKib(serverPid);
            int connected = all.size();
            System.err.printf(Locale.ROOT, "%d of %d connected (%d started, %d failed) in %.1f s (%.0f/s); big room "
                    + "%d; server RSS %d -> %d MiB, live heap %d -> %d MiB%n", connected, total, launched,
                    failures.get(), setupSeconds, connected / setupSeconds, big.size(), rssBefore / 1024,
                    rssAfter / 1024, heapBefore / 1024, heapAfter / 1024);
            if (big.size() < 2) {
                throw new IllegalStateException("the big room has " + big.size() + " members; nothing to measure");
            }

            List<Double> p50s = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            List<Double> deliveredPcts = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            int members = big.size();
            for (int run = 1; run <= runs; run++) {
                // Fan-out: one message every 500 ms from one member of the big room to all of it.
                // What an earlier run left queued (on a loaded machine deliveries fell a minute behind) is
                // delivered first: wait until no chat message has arrived for 2 s (at most 60 s).
                long quietSince = System.nanoTime();
                long settleUntil = quietSince + TimeUnit.SECONDS.toNanos(60);
                for (long seen = heard.delivered.get(); System.nanoTime() < settleUntil
                        && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2); Thread.sleep(100)) {
                    if (heard.delivered.get() != seen) {
                        seen = heard.delivered.get();
                        quietSince = System.nanoTime();
                    }
                }
                heard.run = run;
                heard.fanout.clear();
                Member speaker = big.get(0);
                for (int m = 0; m < FANOUT_MESSAGES; m++) {
                    speaker.send(JSON.writeValueAsString(Map.of("type", "chat.send", "client_id",
                            "f" + run + "-" + m, "text", "fanout " + run + " " + System.nanoTime()))).get(10, TimeUnit.SECONDS);
                    Thread.sleep(FANOUT_INTERVAL_MS);
                }
                int expected = FANOUT_MESSAGES * members;
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (heard.fanout.size() < expected && System.nanoTime() < waitUntil) {
                    Thread.sleep(20);
                }
                List<Double> latencies = new ArrayList<>();
                for (long[] sample : heard.fanout) {
                    latencies.add((sample[1] - sample[0]) / 1e6);
                }
                Collections.sort(latencies);

                // Throughput: a burst from several members of the big room.
                int senders = Math.min(BURST_SENDERS, members - 1);
                long deliveredBefore = heard.delivered.get();
                long burstStart = System.nanoTime();
                for (int m = 0; m < BURST_PER_SENDER; m++) {
                    for (int s = 1; s <= senders; s++) {
                        big.get(s).send("{\"type\":\"chat.send\",\"client_id\":\"b" + run + "-" + m
                                + "\",\"text\":\"burst\"}");
                    }
                    Thread.sleep(100); // 10/s per sender: inside the channel's per-connection rate limit
                }
                long burstExpected = (long) BURST_PER_SENDER * senders * members;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (heard.delivered.get() - deliveredBefore < burstExpected && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
                long burstDelivered = heard.delivered.get() - deliveredBefore;
                double rate = burstDelivered / burstSeconds;

                p50s.add(percentile(latencies, 0.50));
                p99s.add(percentile(latencies, 0.99));
                deliveredPcts.add(100.0 * latencies.size() / Math.max(1, expected));
                rates.add(rate);
                System.err.printf(Locale.ROOT, "run %d: fan-out to %d: %d of %d delivered, p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms; burst: %d of %d delivered in %.2f s (%.0f/s)%n", run, members,
                        latencies.size(), expected, percentile(latencies, 0.50), percentile(latencies, 0.99),
                        latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1), burstDelivered,
                        burstExpected, burstSeconds, rate);
            }
            int dropped = heard.closedAfterWelcome.get();

            for (Member member : all) {
                member.socket.abort();
            }
            return new Result(List.of(
                    "connected=" + connected,
                    format("connect_per_s", connected / setupSeconds, 0),
                    format("fanout_p50_ms", median(p50s), 1),
                    format("fanout_p99_ms", median(p99s), 1),
                    format("fanout_delivered_pct", median(deliveredPcts), 1),
                    format("msgs_per_s", median(rates), 0),
                    format("kib_per_conn", (rssAfter - rssBefore) / (double) Math.max(1, connected), 1),
                    format("heap_kib_per_conn", (heapAfter - heapBefore) / (double) Math.max(1, connected), 1),
                    "dropped=" + dropped,
                    "room=" + members,
                    "runs=" + runs));
        } finally {
            pinger.shutdownNow();
            connectors.shutdownNow();
            callbacks.shutdownNow();
        }
    }

    private static String[] meeting(HttpClient http, String api, String token, String hostId, String title,
                                    int capacity) {
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        try {
            JsonNode created = post(http, api + "/api/v1/meetings", token, Map.of("title", title,
                    "start_time", start.toString(), "end_time", start.plus(1, ChronoUnit.HOURS).toString(),
                    "host_id", hostId, "participants", List.of(), "allow_overlap", true,
                    "settings", Map.of("lobby", false, "join_before_host", true, "allow_guests", true,
                            "max_participants", capacity)));
            return new String[] {created.path("meeting_id").asText(),
                    created.path("settings").path("passcode").asText()};
        } catch (Exception e) {
            throw new IllegalStateException("could not schedule " + title + ": " + e, e);
        }
    }

    /** A JSON POST ({@code token}: a bearer token, or null); fails on any status but 2xx, with the body. */
    static JsonNode post(HttpClient http, String url, String token, Object body) throws Exception {
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

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    /** The server's heap in use after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}); 0 without jcmd. */
    private static long liveHeapKib(long pid) {
        try {
            jcmd(pid, "GC.run");
            Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) : 0;
        } catch (Exception e) {
            System.err.println("no live-heap figure (jcmd): " + e);
            return 0;
        }
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + command + " took over 60 s");
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return percentile(sorted, 0.5);
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
