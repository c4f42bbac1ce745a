package io.tribune.hls.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx as the caching edge, configured from {@code config/nginx-edge.conf} (the file we ship), in a
 * directory of its own. Only the process this starts is ever stopped.
 */
public final class NginxEdge implements AutoCloseable {

    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Pattern CACHE = Pattern.compile("\"GET (/hls/\\S+) HTTP/[0-9.]+\" (\\d+) \\d+ cache=(\\S+)");

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

    public static NginxEdge start(Path dir, Path www, int originPort) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        for (String sub : new String[] {"tmp", "cache", "auth-cache"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        String user = "root".equals(System.getProperty("user.name")) ? "root" : System.getProperty("user.name");
        String config = Files.readString(Path.of("config/nginx-edge.conf"))
                .replace("@USER@", user).replace("@DIR@", dir.toString())
                .replace("@LISTEN@", "127.0.0.1:" + port).replace("@ORIGIN@", "127.0.0.1:" + originPort)
                .replace("@WWW@", www.toString());
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config);
        Process process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxEdge edge = new NginxEdge(process, dir, port);
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return edge;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited: " + Files.readString(dir.resolve("error.log")));
                }
                Thread.sleep(50);
            }
        }
        edge.close();
        throw new IOException("nginx did not listen on " + port);
    }

    public int port() {
        return port;
    }

    /** Media and playlist requests by the edge's cache status (HIT, MISS, EXPIRED, UPDATING, -, ...). */
    public Map<String, Integer> cacheStatuses() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("access.log"))) {
            Matcher m = CACHE.matcher(line);
            if (m.find() && m.group(2).startsWith("2")) {
                counts.merge(m.group(3), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's master stops its worker and exits
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
