package io.tribune.ops;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every service JVM that {@code tribune up} starts: {@code ServiceMain <parentPid> <mainClass> args}.
 * It watches the supervisor and exits (running the service's shutdown hooks) when the supervisor is gone, even if
 * it was killed with SIGKILL, so no service outlives it. Then it calls the service's own {@code main}.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ServiceMain <parentPid> <mainClass> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        Thread watchdog = new Thread(() -> watch(parentPid), "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    private static void watch(long parentPid) {
        while (true) {
            boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                System.err.println("supervisor " + parentPid + " is gone; shutting down");
                System.exit(0);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
