package io.tribune.ops;

import io.tribune.platform.Component;
import io.tribune.platform.EmbeddedPlatform;
import io.tribune.platform.PlatformUrls;
import io.tribune.platform.SmtpComponent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code tribune up}: starts the embedded parts (or uses the external ones), then every service as a child JVM
 * wired to them by URL, waits until each is healthy, records what runs in {@link RunState} and stays in the
 * foreground until SIGINT/SIGTERM, when it stops the services first and the parts last. {@code tribune down} is
 * {@link #down}. One supervisor per data directory.
 */
final class Supervisor {

    /** How long each service gets to become ready; {@code $TRIBUNE_SERVICE_START_SECONDS} overrides it. */
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(Long.parseLong(
            System.getenv().getOrDefault("TRIBUNE_SERVICE_START_SECONDS", "240")));
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);
    /** Services starting at once: as many as cores, at least two; {@code $TRIBUNE_PARALLEL_STARTS} overrides it. */
    private static final int PARALLEL_STARTS = Math.max(1, Integer.parseInt(System.getenv().getOrDefault(
            "TRIBUNE_PARALLEL_STARTS", Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())))));

    private final Settings settings;
    private final PrintStream out;
    /** Added to by the main thread, read by the shutdown hook. */
    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    /** Where each started service answers, for the run state. */
    private final Map<String, Endpoint> endpoints = new HashMap<>();

    private record Endpoint(String url, int port) {
    }
    private final CountDownLatch stopped = new CountDownLatch(1);
    private EmbeddedPlatform platform;
    /** The dev mailbox: an SMTP server that keeps what it receives and shows it on a web page. */
    private SmtpComponent smtp;

    Supervisor(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    void up() throws Exception {
        long started = System.nanoTime();
        refuseIfRunning(settings);
        checkPorts();
        Files.createDirectories(settings.runDir());
        Files.createDirectories(settings.logDir());
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "tribune-shutdown"));
        state("starting", List.of()).write(settings);

        out.println("Tribune: data in " + settings.dataDir());
        out.print("Starting PostgreSQL, Kafka, Redis, S3 and the dev mailbox ... ");
        out.flush();
        long platformStart = System.nanoTime();
        platform = buildPlatform();
        smtp = new SmtpComponent(settings.ports().smtp(), settings.ports().mailbox());
        try {
            platform.start();
            smtp.start();
        } catch (Exception e) {
            throw new CliException(e.getMessage() + "\n(details in " + settings.logDir().resolve("platform.log")
                    + ")");
        }
        out.printf(Locale.ROOT, "ready in %.1f s%n", seconds(platformStart));

        PlatformUrls urls = platform.urls();
        // The services start a few at a time (see startAll), in this order.
        List<ServiceProcess> toStart = new ArrayList<>();
        // Before the api-server starts: this creates its signing keys on a first start, which it then loads.
        Path sfuConfig = SfuConfigWriter.write(settings, urls);
        Path apiConfig = ApiServerConfigWriter.write(settings, urls, smtp.mailboxUrl());
        ServiceProcess api = new ServiceProcess("api-server", "io.tribune.api.ApiServerApplication",
                List.of("server", apiConfig.toString()), List.of("-Xms64m", "-Xmx768m"),
                settings.logDir().resolve("api-server.log"),
                URI.create("http://127.0.0.1:" + settings.ports().admin() + "/healthcheck"));
        toStart.add(api);
        endpoints.put(api.name(), new Endpoint(ApiServerConfigWriter.publicUrl(settings), settings.ports().api()));

        // The SFU node: media for meetings. It verifies join tokens with the api-server's public keys.
        ServiceProcess sfu = new ServiceProcess("sfu", "io.tribune.sfu.SfuApplication",
                List.of("server", sfuConfig.toString()), List.of("-Xms64m", "-Xmx512m"),
                settings.logDir().resolve("sfu.log"), URI.create(SfuConfigWriter.healthUrl(settings)));
        toStart.add(sfu);
        endpoints.put(sfu.name(), new Endpoint(SfuConfigWriter.signalingUrl(settings), settings.ports().sfu()));

        Path workerConfig = NotificationWorkerConfigWriter.write(settings, urls, smtp.host(), smtp.port());
        toStart.add(new ServiceProcess("notification-worker", "io.tribune.notify.NotificationWorkerApplication",
                List.of("server", workerConfig.toString()), List.of("-Xms32m", "-Xmx256m"),
                settings.logDir().resolve("notification-worker.log"),
                URI.create("http://127.0.0.1:" + settings.ports().notifyAdmin() + "/healthcheck")));

        // Recording: the archive turns the media the SFU taps into per-track files in S3.
        toStart.add(new ServiceProcess("recording-archive", "io.tribune.recording.RecordingArchiveApplication",
                List.of("server", RecordingArchiveConfigWriter.write(settings, urls).toString()),
                List.of("-Xms32m", "-Xmx384m"), settings.logDir().resolve("recording-archive.log"),
                URI.create("http://127.0.0.1:" + settings.ports().archiveAdmin() + "/healthcheck")));

        // Live captions: the transcription-worker turns the audio the SFU taps for captioned meetings into
        // tribune.captions (Vosk; the model the build unpacked, loaded once at start).
        toStart.add(new ServiceProcess("transcription-worker",
                "io.tribune.transcription.TranscriptionWorkerApplication",
                List.of("server", TranscriptionWorkerConfigWriter.write(settings, urls, System.getenv()).toString()),
                List.of("-Xms32m", "-Xmx512m"), settings.logDir().resolve("transcription-worker.log"),
                URI.create("http://127.0.0.1:" + settings.ports().transcriptionAdmin() + "/healthcheck")));

        // Town halls: the HLS packager (origin) and the transcoder taking the presenter's SRT and live stages.
        toStart.add(new ServiceProcess("hls-packager", "io.tribune.hls.HlsPackagerApplication",
                List.of("server", BroadcastConfigWriter.writePackager(settings, urls).toString()),
                List.of("-Xms32m", "-Xmx384m"), settings.logDir().resolve("hls-packager.log"),
                URI.create(BroadcastConfigWriter.packagerHealthUrl(settings))));
        endpoints.put("hls-packager", new Endpoint(BroadcastConfigWriter.originUrl(settings), settings.ports().hls()));
        toStart.add(new ServiceProcess("transcoder", "io.tribune.transcoder.TranscoderApplication",
                List.of("server", BroadcastConfigWriter.writeTranscoder(settings, urls).toString()),
                List.of("-Xms32m", "-Xmx256m"), settings.logDir().resolve("transcoder.log"),
                URI.create(BroadcastConfigWriter.transcoderHealthUrl(settings))));
        endpoints.put("transcoder", new Endpoint(BroadcastConfigWriter.srtUrl(settings), settings.ports().srt()));

        startAll(toStart);

        String openUrl = ApiServerConfigWriter.publicUrl(settings) + "/";
        state("running", componentStates(urls)).write(settings);
        out.printf(Locale.ROOT, "Tribune is up in %.1f s.%n%n", seconds(started));
        out.println("  Open      " + openUrl);
        out.println("  API       " + openUrl + "api/v1/status");
        out.println("  SFU       " + SfuConfigWriter.signalingUrl(settings) + " (media on UDP port "
                + settings.ports().media() + ")");
        out.println("  SRT in    " + BroadcastConfigWriter.srtUrl(settings) + "  (town hall '"
                + BroadcastConfigWriter.DEMO_EVENT + "': point OBS or ffmpeg -f mpegts here)");
        out.println("  Origin    " + BroadcastConfigWriter.originUrl(settings) + "/hls/" + BroadcastConfigWriter.DEMO_EVENT
                + "/master.m3u8  (signed cookies or URLs required; key pair in " + Secrets.directory(settings) + ")");
        out.println("  Health    http://127.0.0.1:" + settings.ports().admin() + "/healthcheck");
        out.println("  Metrics   http://127.0.0.1:" + settings.ports().admin() + "/prometheus");
        out.println("  Mailbox   " + openUrl + "dev/mailbox  (every mail Tribune sends; SMTP on " + smtp.host() + ":"
                + smtp.port() + ", nothing is relayed)");
        out.println("  Logs      " + settings.logDir());
        out.println();
        out.println("  Admin login  " + Secrets.ADMIN_EMAIL + " / " + Secrets.adminPassword(settings));
        out.println("               (the first password; also in "
                + Secrets.directory(settings).resolve("admin-password") + ")");
        out.println();
        out.println("Stop with Ctrl-C, or `ops/tribune down` from another terminal.");
        out.flush();
        stopped.await();
    }

    /**
     * Starts the services, at most {@link #PARALLEL_STARTS} at a time, each as soon as an earlier one is ready: a
     * JVM's start is mostly one thread loading classes, so on a few cores two or three overlap well, while all at
     * once would only make each wait longer. Fails with the first service that dies or is not ready in time.
     */
    private void startAll(List<ServiceProcess> toStart) throws InterruptedException {
        out.println("Starting the services ...");
        out.flush();
        long since = System.nanoTime();
        ExecutorService starter = Executors.newFixedThreadPool(PARALLEL_STARTS, runnable -> {
            Thread thread = new Thread(runnable, "service-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (ServiceProcess service : toStart) {
                services.add(service);
                starts.add(starter.submit(() -> {
                    service.start();
                    service.awaitReady(SERVICE_START_TIMEOUT);
                    out.printf(Locale.ROOT, "  %-20s ready after %.1f s%n", service.name(), seconds(since));
                    out.flush();
                    return null;
                }));
            }
            for (Future<?> start : starts) {
                try {
                    start.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CliException cli) {
                        throw cli;
                    }
                    throw new CliException("a service could not be started: " + e.getCause());
                }
            }
        } finally {
            starter.shutdownNow();
        }
    }

    private EmbeddedPlatform buildPlatform() {
        Settings.Ports ports = settings.ports();
        Settings.External external = settings.external();
        EmbeddedPlatform.Builder builder = EmbeddedPlatform.builder()
                .dataDir(settings.dataDir())
                .postgresPort(ports.postgres())
                .kafkaPort(ports.kafka())
                .redisPort(ports.redis())
                .s3Port(ports.s3());
        if (external.postgres() != null) {
            builder.externalPostgres(external.postgres().url(), external.postgres().user(),
                    external.postgres().password());
        }
        if (external.kafka() != null) {
            builder.externalKafka(external.kafka().bootstrapServers());
        }
        if (external.redis() != null) {
            builder.externalRedis(external.redis().uri());
        }
        if (external.s3() != null) {
            builder.externalS3(external.s3().endpoint(), external.s3().accessKey(), external.s3().secretKey(),
                    external.s3().region());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid platform settings: " + e.getMessage());
        }
    }

    /**
     * The services' ports. The embedded parts check their own, after stopping servers a killed earlier run left
     * on this data directory (which would otherwise look like "port in use").
     */
    private void checkPorts() {
        Ports.requireFree(settings.ports().api(), "api-server", "TRIBUNE_API_PORT (ports.api)");
        Ports.requireFree(settings.ports().admin(), "api-server admin", "TRIBUNE_ADMIN_PORT (ports.admin)");
        Ports.requireFree(settings.ports().sfu(), "SFU signaling", "TRIBUNE_SFU_PORT (ports.sfu)");
        Ports.requireFree(settings.ports().sfuAdmin(), "SFU admin", "TRIBUNE_SFU_ADMIN_PORT (ports.sfuAdmin)");
        Ports.requireFree(settings.ports().notifyAdmin(), "notification-worker admin",
                "TRIBUNE_NOTIFY_ADMIN_PORT (ports.notifyAdmin)");
        Ports.requireFree(settings.ports().archiveAdmin(), "recording-archive admin",
                "TRIBUNE_ARCHIVE_ADMIN_PORT (ports.archiveAdmin)");
        Ports.requireFree(settings.ports().hls(), "HLS origin", "TRIBUNE_HLS_PORT (ports.hls)");
        Ports.requireFree(settings.ports().hlsAdmin(), "HLS packager admin", "TRIBUNE_HLS_ADMIN_PORT (ports.hlsAdmin)");
        Ports.requireFree(settings.ports().hlsIngest(), "HLS ingest", "TRIBUNE_HLS_INGEST_PORT (ports.hlsIngest)");
        Ports.requireFree(settings.ports().transcoderAdmin(), "transcoder admin",
                "TRIBUNE_TRANSCODER_ADMIN_PORT (ports.transcoderAdmin)");
        Ports.requireFree(settings.ports().transcriptionAdmin(), "transcription-worker admin",
                "TRIBUNE_TRANSCRIPTION_ADMIN_PORT (ports.transcriptionAdmin)");
    }

    private List<RunState.ComponentState> componentStates(PlatformUrls urls) {
        List<RunState.ComponentState> states = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        states.add(partState("postgres", platform.postgres(), urls.jdbcUrl(), self));
        states.add(partState("kafka", platform.kafka(), urls.kafkaBootstrap(), self));
        states.add(partState("redis", platform.redis(), urls.redisUri(), self));
        states.add(partState("s3", platform.s3(), urls.s3Endpoint(), self));
        states.add(new RunState.ComponentState("smtp", "embedded", smtp.mailboxUrl(), smtp.port(), smtp.version(),
                self, null));
        for (ServiceProcess service : services) {
            Endpoint endpoint = endpoints.get(service.name());
            String url = endpoint != null ? endpoint.url() : service.readyUrl().resolve("/").toString();
            int port = endpoint != null ? endpoint.port() : service.readyUrl().getPort();
            states.add(new RunState.ComponentState(service.name(), "process", url, port, Version.TRIBUNE,
                    service.pid(), service.readyUrl().toString()));
        }
        return states;
    }

    private static RunState.ComponentState partState(String name, Component component, String url, long pid) {
        if (component == null) {
            return new RunState.ComponentState(name, "external", url, portOf(url), "", -1, null);
        }
        return new RunState.ComponentState(name, "embedded", url, component.port(), component.version(), pid, null);
    }

    private static int portOf(String url) {
        try {
            String hostPort = url.replaceFirst("^[a-z]+:(//)?", "").replaceFirst("^postgresql://", "");
            hostPort = hostPort.split("[/,?]")[0];
            int colon = hostPort.lastIndexOf(':');
            return colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private RunState state(String phase, List<RunState.ComponentState> components) {
        return new RunState(ProcessHandle.current().pid(), phase, System.currentTimeMillis(),
                ApiServerConfigWriter.publicUrl(settings) + "/", components);
    }

    /** Services first (they flush to Kafka and PostgreSQL on the way out), then the embedded parts. */
    private void shutdown() {
        try {
            if (!services.isEmpty() || platform != null) {
                out.println();
                out.println("Stopping Tribune ...");
            }
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).stop(SERVICE_STOP_GRACE);
            }
            if (smtp != null) {
                smtp.stop();
            }
            if (platform != null) {
                platform.close();
            }
            RunState.delete(settings);
            out.println("Tribune stopped.");
        } finally {
            stopped.countDown();
        }
    }

    /** Fails when a live supervisor already owns this data directory; clears what a dead one left behind. */
    static void refuseIfRunning(Settings settings) {
        RunState.read(settings).ifPresent(state -> {
            if (state.supervisorAlive()) {
                throw new CliException("Tribune is already running from " + settings.dataDir() + " (pid "
                        + state.supervisorPid() + "). Stop it first: ops/tribune down");
            }
            killLeftovers(settings, state);
            RunState.delete(settings);
        });
    }

    /** {@code tribune down}: SIGTERM to the supervisor, wait for it, then make sure nothing it started is left. */
    static int down(Settings settings, PrintStream out) throws InterruptedException {
        var maybeState = RunState.read(settings);
        if (maybeState.isEmpty()) {
            out.println("Tribune is not running (no " + RunState.file(settings) + ").");
            return 0;
        }
        RunState state = maybeState.get();
        if (!state.supervisorAlive()) {
            List<String> cleaned = killLeftovers(settings, state);
            RunState.delete(settings);
            out.println("Tribune was not running (its supervisor died); stopped what it left behind: "
                    + (cleaned.isEmpty() ? "nothing" : String.join(", ", cleaned)) + ".");
            return 0;
        }
        ProcessHandle supervisor = ProcessHandle.of(state.supervisorPid()).orElseThrow();
        out.print("Stopping Tribune (pid " + state.supervisorPid() + ") ... ");
        out.flush();
        supervisor.destroy();
        try {
            supervisor.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            out.print("not stopped after 60 s, killing ... ");
            supervisor.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        killLeftovers(settings, state);
        RunState.delete(settings);
        out.println("stopped.");
        return 0;
    }

    /**
     * After the supervisor is gone: stops the service processes the state file lists and the PostgreSQL/Redis
     * servers a SIGKILLed supervisor orphaned. Returns what was stopped.
     */
    private static List<String> killLeftovers(Settings settings, RunState state) {
        List<String> stopped = new ArrayList<>();
        for (RunState.ComponentState component : state.components()) {
            if (component.pid() > 0 && component.pid() != state.supervisorPid()) {
                ProcessHandle.of(component.pid()).filter(ProcessHandle::isAlive).ifPresent(handle -> {
                    handle.destroy();
                    try {
                        handle.onExit().get(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        handle.destroyForcibly();
                    }
                    stopped.add(component.name());
                });
            }
        }
        try {
            stopped.addAll(EmbeddedPlatform.stopLeftovers(settings.dataDir()));
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot stop servers left by the earlier run: " + e.getMessage());
        }
        return stopped;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
