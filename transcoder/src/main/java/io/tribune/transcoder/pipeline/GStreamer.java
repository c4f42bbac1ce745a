package io.tribune.transcoder.pipeline;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/** Initializes GStreamer once per JVM, asking for the 1.16 API (Debian 12 ships 1.22). Thread-safe. */
public final class GStreamer {

    private static boolean initialized;

    private GStreamer() {
    }

    public static synchronized void init() {
        if (!initialized) {
            Gst.init(Version.of(1, 16), "tribune-transcoder");
            initialized = true;
        }
    }
}
