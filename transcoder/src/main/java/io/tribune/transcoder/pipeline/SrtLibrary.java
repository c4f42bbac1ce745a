package io.tribune.transcoder.pipeline;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libsrt's process-wide cleanup, run once every SRT pipeline has stopped. Without it the JVM cannot exit: libsrt's
 * exit-time destructor joins its receive threads, which are blocked at the JVM's exit safepoint because srtsrc's
 * {@code caller-connecting} signal attached them to the JVM (a JNA callback). Calling {@code srt_cleanup()} while
 * the JVM still runs lets them finish first. Only once, at the very end: libsrt counts its startups, and a cleanup
 * while GStreamer's SRT elements still count on it broke the next SRT ingest in the same process (a test class
 * after another one in one JVM: its ladder restarted). Thread-safe; a no-op where libsrt is not found.
 */
public final class SrtLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(SrtLibrary.class);
    private static final String[] NAMES = {"libsrt-gnutls.so.1.5", "libsrt-openssl.so.1.5", "srt"};

    private static boolean hooked;

    private SrtLibrary() {
    }

    /** Runs {@link #cleanup} from a JVM shutdown hook (once, however often this is called): for tests. */
    public static synchronized void cleanupAtExit() {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(SrtLibrary::cleanup, "srt-cleanup"));
        }
    }

    public static synchronized void cleanup() {
        for (String name : NAMES) {
            try {
                Function function = NativeLibrary.getInstance(name).getFunction("srt_cleanup");
                int result = function.invokeInt(new Object[0]);
                LOG.info("srt_cleanup() in {} returned {}", name, result);
                return;
            } catch (UnsatisfiedLinkError e) {
                // try the next name
            }
        }
        LOG.debug("libsrt not found; nothing to clean up");
    }
}
