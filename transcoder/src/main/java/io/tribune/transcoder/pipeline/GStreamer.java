package io.tribune.transcoder.pipeline;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * Initializes GStreamer once per JVM, asking for the 1.16 API (Debian 12 ships 1.22). Thread-safe.
 *
 * <p>Without segtrap: while GStreamer loads a plugin (the first time a pipeline uses one of its elements) it would
 * install its own SIGSEGV handler, and the JVM raises SIGSEGV on purpose (implicit null checks, polling pages) on its
 * other threads: GStreamer then reports "a segmentation fault while loading plugin" and the process dies. Seen
 * with the stage's first RTP elements while Redisson's threads ran.
 */
public final class GStreamer {

    private static boolean initialized;

    private GStreamer() {
    }

    public static synchronized void init() {
        if (!initialized) {
            Gst.init(Version.of(1, 16), "tribune-transcoder", "--gst-disable-segtrap");
            initialized = true;
        }
    }
}
