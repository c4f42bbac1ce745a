package io.tribune.hls.edge;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx as the caching edge in front of the origin, configured from {@code nginx-edge.conf} (the file we
 * ship, next to this class), in a directory of its own. Used by the edge playback test and by {@code bench cdn} and
 * {@code bench hls-latency}. Only the process this starts is ever stopped.
 */
public final class NginxEdge implements AutoCloseable {

    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    /** The shipped configuration template (placeholders described in its header). */
    public static final String TEMPLATE = "nginx-edge.conf";
    private static final Pattern REQUEST = Pattern.compile("\"GET (/hls/\\S+) HTTP/[0-9.]+\" (\\d+) \\d+ cache=(\\S+)");

    private final Process process;
    private final Path dir;
    private final int port;

    private NginxEdge(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(NGINX);
    }

    /** The configuration template's text. */
    public static String template() throws IOException {
        try (InputStream in = NginxEdge.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("missing resource " + TEMPLATE + " next to " + NginxEdge.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The template with its placeholders filled in. */
    public static String config(String user, Path dir, int listenPort, int originPort, Path www) throws IOException {
        return template().replace("@USER@", user).replace("@DIR@", dir.toString())
                .replace("@LISTEN@", "127.0.0.1:" + listenPort).replace("@ORIGIN@", "127.0.0.1:" + originPort)
                .replace("@WWW@", www.toString());
    }

    /**
     * Starts nginx listening on a free loopback port, proxying to the origin at {@code 127.0.0.1:originPort} and
     * serving {@code www} at /; waits until it accepts connections.
     */
    public static NginxEdge start(Path dir, Path www, int originPort) throws IOException, InterruptedException {
        if (!available()) {
            throw new IOException("needs nginx at " + NGINX + " (Debian package nginx-light)");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        for (String sub : new String[] {"tmp", "cache", "auth-cache"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        String user = System.getProperty("user.name");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(user, dir, port, originPort, www));
        Process process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxEdge edge = new NginxEdge(process, dir, port);
        for (int i = 0; i < 200; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return edge;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    Path log = dir.resolve("error.log");
                    throw new IOException("nginx exited: " + (Files.exists(log) ? Files.readString(log) : ""));
                }
                Thread.sleep(50);
            }
        }
        edge.close();
        throw new IOException("nginx did not listen on " + port + " within 10 s");
    }

    public int port() {
        return port;
    }

    public Path accessLog() {
        return dir.resolve("access.log");
    }

    /** Successful (2xx) media and playlist requests by the edge's cache status (HIT, MISS, EXPIRED, ...). */
    public Map<String, Integer> cacheStatuses() throws IOException {
        return cacheStatuses(Files.exists(accessLog()) ? Files.readAllLines(accessLog()) : List.of(), true);
    }

    /**
     * Media and playlist requests among access-log lines by {@code $upstream_cache_status} ("-" when nginx did not
     * use the cache, e.g. a 403 from auth_request).
     *
     * @param successfulOnly count only 2xx answers
     */
    public static Map<String, Integer> cacheStatuses(List<String> accessLogLines, boolean successfulOnly) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : accessLogLines) {
            Matcher m = REQUEST.matcher(line);
            if (m.find() && (!successfulOnly || m.group(2).startsWith("2"))) {
                counts.merge(m.group(3), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The nginx master's process id (its workers are its children), for CPU accounting. */
    public long pid() {
        return process.pid();
    }

    /** Whether nginx is still running. */
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's master stops its worker and exits
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
