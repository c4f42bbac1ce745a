package io.tribune.ops.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from bytes as they arrive (RFC 9112): the status line and headers, then a body framed by
 * Content-Length (section 6.3), the chunked transfer coding (section 7.1, chunk extensions and trailers skipped) or the
 * end of the connection. It keeps the body only when asked (a playlist) and counts it always (a part). One per
 * connection, reset for each request; not thread-safe (it lives on its connection's event loop).
 */
final class HttpResponseReader {

    private enum State { HEADERS, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    /** Longest status line plus headers, chunk-size line or trailer line accepted. */
    private static final int MAX_HEAD = 64 * 1024;

    private final ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
    private ByteArrayOutputStream body;
    private State state = State.DONE;
    private boolean keepBody;
    private boolean headRequest;
    private int status;
    private boolean keepAlive;
    private long remaining;
    private long bodyBytes;
    private long received;
    /** Bytes of the line {@link #appendLine} finished last, its CRLF included. */
    private int lineLength;
    private int partialLine;

    /** Prepares for the response to the next request. */
    void reset(boolean keepBody, boolean headRequest) {
        this.keepBody = keepBody;
        this.headRequest = headRequest;
        body = keepBody ? new ByteArrayOutputStream(4096) : null;
        head.reset();
        partialLine = 0;
        state = State.HEADERS;
        status = 0;
        keepAlive = true;
        remaining = 0;
        bodyBytes = 0;
        received = 0;
    }

    /**
     * Consumes from {@code in} what belongs to this response.
     *
     * @return true once the response is complete
     * @throws IllegalStateException on a malformed response
     */
    boolean read(ByteBuffer in) {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case HEADERS -> {
                    if (appendLine(in) && lineLength == 2 && head.size() > 2) {
                        parseHead();
                    }
                }
                case LENGTH, CHUNK_DATA, UNTIL_CLOSE -> {
                    int n = state == State.UNTIL_CLOSE ? in.remaining() : (int) Math.min(remaining, in.remaining());
                    take(in, n);
                    remaining -= n;
                    if (remaining == 0 && state == State.LENGTH) {
                        state = State.DONE;
                    } else if (remaining == 0 && state == State.CHUNK_DATA) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (appendLine(in)) {
                        if (head.size() != 2) {
                            throw new IllegalStateException("chunk data not followed by CRLF");
                        }
                        head.reset();
                        state = State.CHUNK_SIZE;
                    }
                }
                case CHUNK_SIZE -> {
                    if (appendLine(in)) {
                        String line = head.toString(StandardCharsets.ISO_8859_1).trim();
                        head.reset();
                        int extension = line.indexOf(';');
                        String size = (extension >= 0 ? line.substring(0, extension) : line).trim();
                        try {
                            remaining = Long.parseLong(size, 16);
                        } catch (NumberFormatException e) {
                            throw new IllegalStateException("bad chunk size '" + size + "'");
                        }
                        if (remaining < 0) {
                            throw new IllegalStateException("bad chunk size '" + size + "'");
                        }
                        state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                    }
                }
                case TRAILERS -> {
                    if (appendLine(in)) {
                        boolean empty = head.size() == 2;
                        head.reset();
                        if (empty) {
                            state = State.DONE;
                        }
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return state == State.DONE;
    }

    /**
     * The server closed the connection: completes a body framed by the connection's end.
     *
     * @return true if the response is complete
     */
    boolean closed() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
        }
        return state == State.DONE;
    }

    /** Whether any byte of the response has arrived (a reused connection that closes before is retried). */
    boolean started() {
        return received > 0;
    }

    int status() {
        return status;
    }

    /** Whether the connection may carry the next request. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** The body, when kept; null otherwise. */
    byte[] body() {
        return body == null ? null : body.toByteArray();
    }

    long bodyBytes() {
        return bodyBytes;
    }

    /** Appends bytes up to and including the next LF; true when it has been reached. */
    private boolean appendLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            received++;
            head.write(b);
            partialLine++;
            if (head.size() > MAX_HEAD) {
                throw new IllegalStateException("response head longer than " + MAX_HEAD + " bytes");
            }
            if (b == '\n') {
                lineLength = partialLine;
                partialLine = 0;
                return true;
            }
        }
        return false;
    }

    private void take(ByteBuffer in, int n) {
        received += n;
        bodyBytes += n;
        if (keepBody) {
            if (in.hasArray()) {
                body.write(in.array(), in.arrayOffset() + in.position(), n);
                in.position(in.position() + n);
            } else {
                byte[] copy = new byte[n];
                in.get(copy);
                body.writeBytes(copy);
            }
        } else {
            in.position(in.position() + n);
        }
    }

    private void parseHead() {
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        head.reset();
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IllegalStateException("not an HTTP/1.x status line: '" + lines[0] + "'");
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("bad status '" + statusLine[1] + "'");
        }
        keepAlive = !statusLine[0].equals("HTTP/1.0");
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> {
                    if (value.contains("close")) {
                        keepAlive = false;
                    } else if (value.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
                default -> {
                    // not needed
                }
            }
        }
        if (status / 100 == 1) {
            // An interim response (RFC 9110 15.2): the final one follows.
            state = State.HEADERS;
        } else if (headRequest || status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (length >= 0) {
            remaining = length;
            state = length == 0 ? State.DONE : State.LENGTH;
        } else {
            keepAlive = false;
            state = State.UNTIL_CLOSE;
        }
    }
}
