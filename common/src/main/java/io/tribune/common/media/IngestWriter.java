package io.tribune.common.media;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes ingest frames to a stream (a socket's output, usually), buffered: call {@link #flush()} after each batch
 * of samples that should leave now. Not thread-safe: the transcoder serializes its writes (one writer thread, or a
 * lock around {@link #write}).
 */
public final class IngestWriter implements Closeable {

    private final OutputStream out;

    public IngestWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    public void write(IngestFrame frame) throws IOException {
        out.write(IngestProtocol.encode(frame));
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
