package io.tribune.ops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under any SFU's CPU per forwarded packet on this machine: the same fan-out as {@code bench sfu}
 * (each incoming packet sent to every subscriber as it comes in, at the same rate, a video frame's packets one
 * after another), but the sender does nothing except {@code sendto} on loopback to sockets that each have a
 * reader thread, as the load client's subscribers do. On loopback the kernel delivers the datagram, and wakes the reader, inside the
 * sender's {@code sendto}, so this is what our node and Janus both pay per packet before doing any work.
 * Measured as the sending thread's CPU time per datagram, over windows.
 */
final class LoopbackSendFloor {

    private static final int AUDIO_BYTES = 120;
    private static final int VIDEO_BYTES = 1200;

    private LoopbackSendFloor() {
    }

    /**
     * @param publishers sources, each sending an audio packet every 20 ms and a video frame of
     *                   {@code packetsPerFrame} packets 30 times a second
     * @return the sender's CPU microseconds per datagram, one figure per window
     */
    static List<Double> measure(int publishers, int subscribers, int packetsPerFrame, int windowSeconds,
                                int windows) throws IOException {
        List<DatagramChannel> readers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<SocketAddress> targets = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                DatagramChannel reader = DatagramChannel.open();
                reader.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                readers.add(reader);
                targets.add(reader.getLocalAddress());
                Thread thread = new Thread(() -> drain(reader), "floor-reader-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            ByteBuffer audio = ByteBuffer.allocateDirect(AUDIO_BYTES);
            ByteBuffer video = ByteBuffer.allocateDirect(VIDEO_BYTES);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            List<Double> out = new ArrayList<>();
            for (int w = 0; w < windows + 1; w++) {
                long sent = 0;
                long cpuBefore = mx.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                long nextAudio = start;
                long nextFrame = start;
                while (System.nanoTime() - start < windowSeconds * 1_000_000_000L) {
                    boolean frame = nextFrame <= nextAudio;
                    long at = frame ? nextFrame : nextAudio;
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    // Each packet goes to every subscriber as it comes in: an SFU sees a frame's packets one at a
                    // time and forwards each at once rather than hold it back to send a subscriber the whole burst.
                    for (int p = 0; p < publishers; p++) {
                        for (int k = 0; k < (frame ? packetsPerFrame : 1); k++) {
                            for (SocketAddress target : targets) {
                                sender.send((frame ? video : audio).clear(), target);
                                sent++;
                            }
                        }
                    }
                    if (frame) {
                        nextFrame += 1_000_000_000L / 30;
                    } else {
                        nextAudio += 20_000_000L;
                    }
                }
                double micros = (mx.getCurrentThreadCpuTime() - cpuBefore) / 1000.0 / sent;
                if (w > 0) {
                    // The first window warms up the JIT.
                    out.add(micros);
                }
            }
            return out;
        } finally {
            for (DatagramChannel reader : readers) {
                reader.close();
            }
            for (Thread thread : threads) {
                thread.interrupt();
            }
        }
    }

    private static void drain(DatagramChannel reader) {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                in.clear();
                reader.receive(in);
            }
        } catch (IOException e) {
            // Closed: the measurement is over.
        }
    }
}
