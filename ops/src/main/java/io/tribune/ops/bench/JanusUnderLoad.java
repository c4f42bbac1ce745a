package io.tribune.ops.bench;

import io.tribune.sfu.load.JanusRoomLoad;
import io.tribune.sfu.load.LoadGenerator;
import io.tribune.sfu.load.RoomLoad;
import io.tribune.sfu.srtp.SrtpCrypto;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Janus half of {@code bench sfu}, run by {@link SfuBenchmark} as a child JVM inside a network namespace of its
 * own ({@code unshare --net}): Janus skips loopback interfaces for ICE, so the namespace gets a veth interface with
 * 127.0.0.2/32 for Janus's candidates while all traffic stays inside it. Starts Janus 1.1.2 (Debian's
 * {@code janus}) with a generated configuration (videoroom and the HTTP API on 127.0.0.1 only, ICE lite, only the
 * veth interface), drives the same load as against our SFU from peers bound to 127.0.0.2 (libnice in Janus did not
 * answer checks from 127.0.0.1), and prints one {@link LoadWindow#line()} per window on stdout.
 *
 * <p>Usage: {@code JanusUnderLoad DIR PUBLISHERS SUBSCRIBERS VIDEO_KBPS WARMUP_S WINDOW_S WINDOWS}
 */
public final class JanusUnderLoad {

    static final String VETH = "tbjanus0";
    private static final long ROOM = 1234;
    private static final int HTTP_PORT = 8088;

    private JanusUnderLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: JanusUnderLoad DIR PUBLISHERS SUBSCRIBERS VIDEO_KBPS WARMUP_S WINDOW_S WINDOWS");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int publishers = Integer.parseInt(args[1]);
        int subscribers = Integer.parseInt(args[2]);
        int videoKbps = Integer.parseInt(args[3]);
        Duration warmup = Duration.ofSeconds(Long.parseLong(args[4]));
        Duration window = Duration.ofSeconds(Long.parseLong(args[5]));
        int windows = Integer.parseInt(args[6]);
        SrtpCrypto.initialize();
        network();
        writeConfig(dir, publishers);
        Process janus = new ProcessBuilder("janus", "--configs-folder=" + dir, "--config=" + dir.resolve("janus.jcfg"),
                "--disable-colors").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("janus.log").toFile())).start();
        // Killed or failing, this JVM takes Janus with it.
        Runtime.getRuntime().addShutdownHook(new Thread(janus::destroyForcibly));
        try {
            awaitJanus(janus, dir);
            try (RoomLoad room = JanusRoomLoad.connect(URI.create("http://127.0.0.1:" + HTTP_PORT + "/janus"), ROOM,
                    publishers, subscribers, videoKbps, InetAddress.getByName("127.0.0.2"), Duration.ofSeconds(30));
                 LoadGenerator generator = new LoadGenerator(room.publishers())) {
                generator.start();
                Thread.sleep(warmup.toMillis());
                for (int i = 0; i < windows; i++) {
                    System.out.println(LoadWindow.measure(room, janus.pid(), window).line());
                    System.out.flush();
                }
            }
        } finally {
            janus.destroy();
            if (!janus.waitFor(10, TimeUnit.SECONDS)) {
                janus.destroyForcibly();
            }
        }
    }

    /** lo up, and a veth pair whose one end carries 127.0.0.2/32: an interface Janus will gather on. */
    private static void network() throws IOException, InterruptedException {
        run("ip", "link", "set", "lo", "up");
        run("ip", "link", "add", VETH, "type", "veth", "peer", "name", VETH + "p");
        run("ip", "addr", "add", "127.0.0.2/32", "dev", VETH);
        run("ip", "link", "set", VETH, "up");
        run("ip", "link", "set", VETH + "p", "up");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }

    static void writeConfig(Path dir, int publishers) throws IOException {
        String lib = "/usr/lib/x86_64-linux-gnu/janus";
        Files.writeString(dir.resolve("janus.jcfg"), """
                general: {
                    configs_folder = "%s"
                    plugins_folder = "%s/plugins"
                    transports_folder = "%s/transports"
                    events_folder = "%s/events"
                    loggers_folder = "%s/loggers"
                    debug_level = 3
                    session_timeout = 0
                }
                media: {
                    rtp_port_range = "20000-40000"
                }
                nat: {
                    ice_lite = true
                    ice_enforce_list = "%s"
                    ipv6 = false
                }
                plugins: {
                    disable = "libjanus_audiobridge.so,libjanus_echotest.so,libjanus_recordplay.so,libjanus_sip.so,\
                libjanus_nosip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,\
                libjanus_voicemail.so,libjanus_duktape.so,libjanus_lua.so"
                }
                transports: {
                    disable = "libjanus_websockets.so,libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,\
                libjanus_rabbitmq.so"
                }
                events: {
                    broadcast = false
                }
                loggers: {
                    disable = "libjanus_jsonlog.so"
                }
                """.formatted(dir, lib, lib, lib, lib, VETH));
        Files.writeString(dir.resolve("janus.transport.http.jcfg"), """
                general: {
                    json = "plain"
                    base_path = "/janus"
                    http = true
                    port = %d
                    ip = "127.0.0.1"
                    https = false
                }
                admin: {
                    admin_http = false
                    admin_https = false
                }
                """.formatted(HTTP_PORT));
        Files.writeString(dir.resolve("janus.plugin.videoroom.jcfg"), """
                general: {
                }
                room-%d: {
                    description = "bench sfu"
                    publishers = %d
                    bitrate = 0
                    fir_freq = 0
                    audiocodec = "opus"
                    videocodec = "vp8"
                }
                """.formatted(ROOM, Math.max(publishers, 6)));
    }

    private static void awaitJanus(Process janus, Path dir) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!janus.isAlive()) {
                throw new IOException("janus exited with " + janus.exitValue() + "; see " + dir.resolve("janus.log"));
            }
            try {
                HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + HTTP_PORT + "/janus/info")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (info.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not up yet.
            }
            Thread.sleep(200);
        }
        throw new IOException("janus did not answer within 30 s; see " + dir.resolve("janus.log"));
    }

    static List<String> command(String java, String classpath, Path dir, int publishers, int subscribers,
                                int videoKbps, long warmupSeconds, long windowSeconds, int windows) {
        return List.of("unshare", "--net", "--", java, "-Xmx512m", "-cp", classpath, JanusUnderLoad.class.getName(),
                dir.toString(), Integer.toString(publishers), Integer.toString(subscribers),
                Integer.toString(videoKbps), Long.toString(warmupSeconds), Long.toString(windowSeconds),
                Integer.toString(windows));
    }
}
