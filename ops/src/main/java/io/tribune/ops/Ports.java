package io.tribune.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Port checks done before anything starts, so a busy port is reported by name instead of as a stack trace. */
public final class Ports {

    private Ports() {
    }

    /** True when nothing listens on {@code port} on the loopback or wildcard address. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code count} different ports the OS reports free right now (held open together, so never the same twice). */
    public static List<Integer> distinctFree(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 0, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new IllegalStateException("no free ports", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket we own cannot fail in a way that matters here
                }
            }
        }
    }

    /** A port the OS reports free right now. */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Throws a {@link CliException} naming the component and the setting to change when {@code port} is taken. */
    static void requireFree(int port, String component, String setting) {
        if (port > 0 && !isFree(port)) {
            throw new CliException("port " + port + " is already in use (" + component + "). Stop whatever holds it"
                    + " (ss -ltnp 'sport = :" + port + "'), or set " + setting + " to another port.");
        }
    }
}
