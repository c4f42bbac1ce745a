package io.tribune.common.media;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads ingest frames from a stream, checking that the first is a {@link IngestFrame.Hello} of a version this side
 * speaks and that no other HELLO follows. Skips optional frame types it does not know. Not thread-safe: one reader
 * thread per connection.
 */
public final class IngestReader {

    private final DataInputStream in;
    private boolean greeted;

    public IngestReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /**
     * The next frame, or null at a clean end of stream (between frames).
     *
     * @throws IngestProtocolException for invalid input, including a stream that ends inside a frame
     */
    public IngestFrame read() throws IOException {
        while (true) {
            int type = in.read();
            if (type < 0) {
                return null;
            }
            int length;
            byte[] payload;
            try {
                length = in.readInt();
                if (length < 0 || length > IngestProtocol.MAX_FRAME_LENGTH) {
                    throw new IngestProtocolException("frame length " + Integer.toUnsignedString(length)
                            + " exceeds " + IngestProtocol.MAX_FRAME_LENGTH);
                }
                payload = in.readNBytes(length);
                if (payload.length < length) {
                    throw new EOFException();
                }
            } catch (EOFException e) {
                throw new IngestProtocolException("stream ends inside a frame");
            }
            IngestFrame frame = IngestProtocol.decode(type, payload);
            if (frame == null) {
                continue;
            }
            if (frame instanceof IngestFrame.Hello hello) {
                if (greeted) {
                    throw new IngestProtocolException("a second HELLO");
                }
                if (hello.version() != IngestProtocol.VERSION) {
                    throw new IngestProtocolException("protocol version " + hello.version() + " is not supported; "
                            + "this side speaks " + IngestProtocol.VERSION);
                }
                greeted = true;
            } else if (!greeted) {
                throw new IngestProtocolException("the first frame must be HELLO");
            }
            return frame;
        }
    }
}
