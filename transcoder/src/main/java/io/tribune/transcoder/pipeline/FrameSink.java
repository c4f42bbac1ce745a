package io.tribune.transcoder.pipeline;

import io.tribune.common.media.IngestFrame;

/** Where encoded frames go (the packager connection). Called from GStreamer streaming threads: must not block. */
@FunctionalInterface
public interface FrameSink {
    void send(IngestFrame frame);
}
