package io.tribune.hls.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocolException;
import io.tribune.common.media.IngestReader;
import io.tribune.hls.live.EventRegistry;
import io.tribune.hls.live.LiveEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts transcoder connections speaking the ingest protocol ({@link io.tribune.common.media.IngestProtocol}): one
 * thread per connection reads frames and feeds the event named in its HELLO. A connection whose key does not match
 * is closed before anything else; a protocol error, an idle timeout or a dropped connection ends the feed, and the
 * event continues after a discontinuity when the transcoder reconnects. A new connection for an event that is still
 * fed takes over: the old connection is closed (a restarted transcoder must not wait for its dead socket's idle
 * timeout).
 *
 * <p>Thread-safe; {@link #start()} and {@link #stop()} come from Dropwizard's lifecycle.
 */
public final class IngestServer implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);
    /** How long a new connection waits for the one it replaces to let go of the event. */
    private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(5);

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final byte[] key;
    private final Duration idleTimeout;
    private final EventRegistry registry;
    private final Consumer<LiveEvent> onEnd;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Counter accepted;
    private final Counter refused;
    private final Counter samples;
    private volatile ServerSocket server;
    private volatile Thread acceptor;

    /**
     * @param port  0 picks a free port ({@link #port()} tells which)
     * @param key   shared secret every HELLO must carry; empty accepts any (loopback-only deployments)
     * @param onEnd called on the connection's thread once an event has received END
     */
    public IngestServer(InetAddress bindAddress, int port, String key, Duration idleTimeout, EventRegistry registry,
                        Consumer<LiveEvent> onEnd, MetricRegistry metrics) {
        this.bindAddress = Objects.requireNonNull(bindAddress);
        this.requestedPort = port;
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.idleTimeout = idleTimeout;
        this.registry = Objects.requireNonNull(registry);
        this.onEnd = Objects.requireNonNull(onEnd);
        this.accepted = metrics.counter("hls.ingest.connections_accepted");
        this.refused = metrics.counter("hls.ingest.connections_refused");
        this.samples = metrics.counter("hls.ingest.samples");
        metrics.gauge("hls.ingest.connections_open", () -> connections::size);
    }

    @Override
    public synchronized void start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(bindAddress, requestedPort), 16);
        server = socket;
        acceptor = new Thread(this::acceptLoop, "hls-ingest-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("ingest listening on {}:{}", bindAddress.getHostAddress(), socket.getLocalPort());
    }

    @Override
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket connection : connections) {
            connection.close();
        }
    }

    /** The bound port; -1 before start. */
    public int port() {
        ServerSocket socket = server;
        return socket == null ? -1 : socket.getLocalPort();
    }

    public boolean isListening() {
        ServerSocket socket = server;
        return socket != null && socket.isBound() && !socket.isClosed();
    }

    private void acceptLoop() {
        while (isListening()) {
            try {
                Socket connection = server.accept();
                connections.add(connection);
                Thread thread = new Thread(() -> serve(connection), "hls-ingest-" + connection.getPort());
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (isListening()) {
                    LOG.warn("ingest accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket connection) {
        LiveEvent event = null;
        String peer = connection.getRemoteSocketAddress().toString();
        try (connection) {
            connection.setSoTimeout((int) idleTimeout.toMillis());
            connection.setTcpNoDelay(true);
            IngestReader reader = new IngestReader(new BufferedInputStream(connection.getInputStream(), 64 * 1024));
            IngestFrame first = reader.read();
            if (!(first instanceof IngestFrame.Hello hello)) {
                return;
            }
            if (!MessageDigest.isEqual(key, hello.key().getBytes(StandardCharsets.UTF_8)) && key.length > 0) {
                refused.inc();
                LOG.warn("ingest from {} refused: wrong key for event {}", peer, hello.eventId());
                return;
            }
            event = registry.attach(hello.eventId(), connection, TAKEOVER_WAIT);
            accepted.inc();
            LOG.info("ingest from {} feeds event {} (run {})", peer, event.eventId(), event.runId());
            for (IngestFrame frame = reader.read(); frame != null; frame = reader.read()) {
                if (frame instanceof IngestFrame.Sample) {
                    samples.inc();
                }
                event.accept(frame);
                if (frame instanceof IngestFrame.End) {
                    LOG.info("event {} ended", event.eventId());
                    onEnd.accept(event);
                    return;
                }
            }
            LOG.warn("ingest from {} for event {} closed without END", peer, event.eventId());
        } catch (SocketTimeoutException e) {
            LOG.warn("ingest from {} idle for {}: closing", peer, idleTimeout);
        } catch (IngestProtocolException e) {
            refused.inc();
            LOG.warn("ingest from {} refused: {}", peer, e.getMessage());
        } catch (IOException e) {
            if (isListening()) {
                LOG.warn("ingest from {} failed: {}", peer, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("ingest from {} broke the packager's state for its event", peer, e);
        } finally {
            connections.remove(connection);
            if (event != null) {
                event.connectionLost();
                registry.detach(event, connection);
            }
        }
    }
}
