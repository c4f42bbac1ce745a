package io.tribune.platform.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loopback ports for the embedded parts: free-port picking and the "already in use" check with the message users see.
 *
 * <p>Thread-safe. A port handed out by {@link #pickFree()} is never handed out again in this JVM, so that parts
 * starting in parallel cannot pick the same port between the pick and their bind.
 */
public final class Ports {

    /** Every embedded part binds here and nowhere else. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int PICK_ATTEMPTS = 100;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port that was free on 127.0.0.1 a moment ago and that this JVM has not handed out before. */
    public static int pickFree() {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(LOOPBACK, 0));
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind any port on " + LOOPBACK.getHostAddress(), e);
            }
        }
        throw new IllegalStateException("no free loopback port after " + PICK_ATTEMPTS + " attempts");
    }

    /**
     * Whether a server could bind {@code port} on 127.0.0.1 now. Like the parts themselves it sets SO_REUSEADDR, so
     * that connections of a stopped server still in TIME_WAIT do not count as "in use".
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns {@code port} if it is free, or a newly picked free port if {@code port} is 0.
     *
     * @throws IllegalStateException naming the part and the environment variable that moves it
     */
    public static int freeOrPick(int port, String component) {
        if (port == 0) {
            return pickFree();
        }
        if (!isFree(port)) {
            throw new IllegalStateException(inUseMessage(port, component));
        }
        return port;
    }

    /** E.g. "port 5432 is already in use (postgres); set TRIBUNE_POSTGRES_PORT or stop the other process". */
    public static String inUseMessage(int port, String component) {
        return "port " + port + " is already in use (" + component + "); set " + environmentVariable(component)
                + " or stop the other process";
    }

    /** The variable `tribune up` reads the part's port from, e.g. {@code TRIBUNE_KAFKA_PORT}. */
    public static String environmentVariable(String component) {
        return "TRIBUNE_" + component.toUpperCase(Locale.ROOT) + "_PORT";
    }

    /** Rejects ports outside 0..65535 (0 means "pick a free one"). */
    public static int checkPort(int port, String component) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(component + " port must be 0 (pick a free one) or 1-65535, was " + port);
        }
        return port;
    }
}
