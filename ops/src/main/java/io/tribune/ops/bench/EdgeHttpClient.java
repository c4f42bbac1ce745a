package io.tribune.ops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A lean HTTP/1.1 client for many simulated viewers on one NIO selector thread (the bench's load client must leave
 * the two cores to the edge and the origin it measures). Each {@link Connection} is one keep-alive TCP connection
 * carrying one request at a time, as a browser's connections do (no pipelining); it opens on its first request,
 * reopens after the server closes it, and retries a request once when a reused connection turns out to be closed
 * before any byte of the answer (RFC 9112 9.3.1: what browsers do for idempotent requests).
 *
 * <p>Threading: one loop thread owns every connection, the selector and the timers; listeners run on it and may
 * start the next request from there. {@link #execute} and {@link #schedule} are thread-safe; everything else must be
 * called on the loop (from a listener or a task).
 */
final class EdgeHttpClient implements AutoCloseable {

    /** The outcome of one request, told on the loop thread. */
    interface Listener {
        /** A complete response; {@code body} only if it was asked to be kept, else null. */
        void completed(int status, byte[] body, long bodyBytes);

        /** No response: a timeout, a refused or reset connection, a malformed answer. */
        void failed(String kind);
    }

    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final InetSocketAddress server;
    private final byte[] hostHeader;
    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    /** The loop's read buffer, shared by all connections (only one is read at a time). */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private volatile boolean closed;
    private long timerSequence;

    private record Timer(long dueNanos, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(dueNanos, other.dueNanos);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    EdgeHttpClient(InetSocketAddress server, String name) throws IOException {
        this.server = server;
        this.hostHeader = ("Host: " + server.getHostString() + ":" + server.getPort() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        this.selector = Selector.open();
        this.loop = new Thread(this::run, name);
        loop.setDaemon(true);
        loop.start();
    }

    /** A new connection, opened on its first request. Loop thread only. */
    Connection connection() {
        Connection connection = new Connection();
        connections.add(connection);
        return connection;
    }

    /** Runs {@code task} on the loop thread. Thread-safe. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop thread after {@code delayMillis}. Thread-safe. */
    void schedule(long delayMillis, Runnable task) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        execute(() -> timers.add(new Timer(due, timerSequence++, task)));
    }

    /** Closes every connection (an in-flight request fails with "closed"). Thread-safe; waits for the loop. */
    void closeConnections() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        execute(() -> {
            for (Connection connection : new ArrayList<>(connections)) {
                connection.fail("closed");
            }
            connections.clear();
            done.countDown();
        });
        done.await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        selector.wakeup();
        loop.join(5000);
    }

    /** One keep-alive connection to the server. Used on the loop thread only. */
    final class Connection {
        private final HttpResponseReader reader = new HttpResponseReader();
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer request;
        private Listener listener;
        private long deadline;
        private boolean reused;
        private boolean retried;

        boolean busy() {
            return listener != null;
        }

        /** Where an in-flight request is, for a timeout's report. */
        private String phase() {
            if (key == null || !key.isValid()) {
                return "(no socket)";
            }
            if ((key.interestOps() & SelectionKey.OP_CONNECT) != 0) {
                return "(connecting)";
            }
            if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                return "(sending)";
            }
            return reader.started() ? "(reading the answer)" : "(waiting for the answer)";
        }

        /**
         * Sends {@code GET target} with the given extra header lines (each ending in CRLF).
         *
         * @throws IllegalStateException if a request is in flight on this connection
         */
        void get(String target, byte[] headers, boolean keepBody, Listener listener) {
            if (busy()) {
                throw new IllegalStateException("a request is in flight on this connection");
            }
            byte[] line = ("GET " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer buffer = ByteBuffer.allocate(line.length + hostHeader.length + headers.length + 2);
            buffer.put(line).put(hostHeader).put(headers).put((byte) '\r').put((byte) '\n').flip();
            this.request = buffer;
            this.listener = listener;
            this.retried = false;
            reader.reset(keepBody, false);
            send();
        }

        private void send() {
            deadline = System.nanoTime() + REQUEST_TIMEOUT_NANOS;
            try {
                if (channel == null) {
                    reused = false;
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
                    if (channel.connect(server)) {
                        key = channel.register(selector, SelectionKey.OP_WRITE, this);
                    } else {
                        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                    }
                } else {
                    reused = true;
                    key.interestOps(SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                fail(e.getClass().getSimpleName());
            }
        }

        private void ready() {
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    deadline = System.nanoTime() + REQUEST_TIMEOUT_NANOS;
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (key.isWritable()) {
                    channel.write(request);
                    if (!request.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    return;
                }
                if (key.isReadable()) {
                    readBuffer.clear();
                    int n = channel.read(readBuffer);
                    if (n < 0) {
                        ended();
                        return;
                    }
                    readBuffer.flip();
                    if (listener == null) {
                        // Bytes on an idle connection: nothing was asked; drop the connection.
                        drop();
                        return;
                    }
                    if (reader.read(readBuffer)) {
                        complete();
                    }
                }
            } catch (IOException | IllegalStateException e) {
                if (listener != null && reused && !reader.started() && !retried) {
                    retry();
                } else if (listener != null) {
                    fail(e.getClass().getSimpleName());
                } else {
                    drop();
                }
            }
        }

        /** The server closed the connection. */
        private void ended() {
            if (listener == null) {
                drop();
            } else if (reader.closed()) {
                complete();
            } else if (reused && !reader.started() && !retried) {
                retry();
            } else {
                fail("closed before the response ended");
            }
        }

        private void retry() {
            drop();
            retried = true;
            request.rewind();
            send();
        }

        private void complete() {
            Listener done = listener;
            listener = null;
            if (!reader.keepAlive()) {
                drop();
            } else {
                key.interestOps(SelectionKey.OP_READ); // to notice the server closing it while idle
            }
            done.completed(reader.status(), reader.body(), reader.bodyBytes());
        }

        private void fail(String kind) {
            Listener done = listener;
            listener = null;
            drop();
            if (done != null) {
                done.failed(kind);
            }
        }

        private void drop() {
            if (channel != null) {
                if (key != null) {
                    key.cancel();
                }
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            channel = null;
            key = null;
        }
    }

    /** A listener's bug must not stop every viewer of the loop: say it and go on. */
    private static void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            System.err.println("bench: " + e);
            e.printStackTrace();
        }
    }

    private void run() {
        long nextDeadlineCheck = System.nanoTime();
        try {
            while (!closed) {
                long now = System.nanoTime();
                long wait = 250;
                Timer first = timers.peek();
                if (first != null) {
                    wait = Math.max(1, Math.min(wait, TimeUnit.NANOSECONDS.toMillis(first.dueNanos() - now)));
                }
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        Connection connection = (Connection) key.attachment();
                        guarded(connection::ready);
                    }
                }
                selector.selectedKeys().clear();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    guarded(task);
                }
                now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().dueNanos() <= now) {
                    guarded(timers.poll().task());
                }
                if (now - nextDeadlineCheck >= 0) {
                    nextDeadlineCheck = now + TimeUnit.MILLISECONDS.toNanos(250);
                    for (Connection connection : new ArrayList<>(connections)) {
                        if (connection.busy() && now - connection.deadline > 0) {
                            connection.fail("timeout " + connection.phase());
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            System.err.println("bench: the HTTP client's loop ended: " + e);
        } finally {
            for (Connection connection : connections) {
                connection.drop();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
