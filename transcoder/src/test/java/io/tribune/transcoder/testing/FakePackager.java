package io.tribune.transcoder.testing;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A packager stand-in for the transcoder's own tests: accepts ingest connections on loopback and records every
 * frame (common's {@link IngestReader} checks the protocol). The end-to-end test with the real hls-packager lives
 * in ops/, which may depend on both services.
 */
public final class FakePackager implements AutoCloseable {

    private final ServerSocket server;
    private final List<IngestFrame> frames = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    /** Each connection's frames, HELLO first, in the order the connections said HELLO. */
    private final List<List<IngestFrame>> byConnection = new CopyOnWriteArrayList<>();

    public FakePackager() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fake-packager");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    public List<IngestFrame> frames() {
        return new ArrayList<>(frames);
    }

    public int connections() {
        return connections.size();
    }

    public List<String> errors() {
        return errors;
    }

    /** The frames of each connection that fed an event, oldest connection first (each list starts with HELLO). */
    public List<List<IngestFrame>> connectionsFor(String eventId) {
        return byConnection.stream().filter(c -> ((IngestFrame.Hello) c.get(0)).eventId().equals(eventId))
                .map(List::copyOf).toList();
    }

    /** Samples of one track, in arrival order. */
    public List<IngestFrame.Sample> samples(int trackId) {
        return frames.stream().filter(f -> f instanceof IngestFrame.Sample s && s.trackId() == trackId)
                .map(f -> (IngestFrame.Sample) f).toList();
    }

    /** The latest TRACK frame of a track, or null. */
    public IngestFrame.TrackAnnounce track(int trackId) {
        IngestFrame.TrackAnnounce last = null;
        for (IngestFrame f : frames) {
            if (f instanceof IngestFrame.TrackAnnounce t && t.trackId() == trackId) {
                last = t;
            }
        }
        return last;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread reader = new Thread(() -> read(socket), "fake-packager-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        try {
            IngestReader reader = new IngestReader(socket.getInputStream());
            IngestFrame frame;
            List<IngestFrame> mine = null;
            while ((frame = reader.read()) != null) {
                frames.add(frame);
                if (frame instanceof IngestFrame.Hello) {
                    mine = new CopyOnWriteArrayList<>();
                    byConnection.add(mine);
                }
                if (mine != null) {
                    mine.add(frame);
                }
            }
        } catch (IOException e) {
            if (!server.isClosed()) {
                errors.add(e.toString());
            }
        }
    }
}
