package io.tribune.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before anything starts, so a busy port is reported by name instead of as a stack trace. */
final class Ports {

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
