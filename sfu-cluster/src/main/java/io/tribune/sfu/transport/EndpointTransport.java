package io.tribune.sfu.transport;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.dtls.DtlsListener;
import io.tribune.sfu.dtls.DtlsSession;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.ice.IceListener;
import io.tribune.sfu.ice.IceTransport;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.pipeline.ChainNode;
import io.tribune.sfu.pipeline.ConsumerNode;
import io.tribune.sfu.pipeline.DemuxerNode;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.pipeline.SendBatch;
import io.tribune.sfu.rtp.DatagramType;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.srtp.SrtpCounters;
import io.tribune.sfu.srtp.SrtpKeys;
import io.tribune.sfu.srtp.SrtpReceiver;
import io.tribune.sfu.srtp.SrtpSender;
import io.tribune.sfu.srtp.SrtpStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One endpoint's secure media transport: ICE, then DTLS-SRTP, then SRTP both ways, with counters.
 *
 * <pre>
 *  port receive thread                      the port's thread, or "endpoint-ID"   any thread
 *  IceTransport -> DatagramHandler          queue drained, Pipeline "receive-ID":  sendRtp / sendRtcp
 *    DTLS  -> DtlsSession.receive (copy)      rtp-rtcp-demux                       SrtpSender.protect
 *    RTP/RTCP -> copy, queue.offer              rtp:  srtp-decrypt -> rtp-parse    IceTransport.send
 *      (full: drop, count)                            -> ReceiveStages.rtp()
 *                                               rtcp: srtcp-decrypt -> rtcp-parse  a send pipeline (run by
 *                                                     -> ReceiveStages.rtcp()      the thread that fed it)
 *                                             queue empty: SendBatch.flush()      newSendTail():
 *                                                                                  srtp-encrypt -> ice-send
 * </pre>
 *
 * <p>Threading: the port's receive thread is shared by every endpoint of the node and must never block. It
 * classifies (RFC 7983), copies and enqueues into a bounded queue; when the queue is full the datagram is dropped
 * and counted ({@link DropReason#RECEIVE_QUEUE_FULL}). Then, as {@link ReceiveDispatch} decides from the node's
 * load, it either drains the queue through the pipeline itself (light load: no hand-off, lowest latency) or wakes
 * the endpoint's thread to do it. Either way the pipeline runs under the endpoint's lock, one thread at a time, in
 * queue order, and whoever drains holds a {@link SendBatch} open, so the subscribers' send pipelines it feeds run
 * when the queue is empty (a burst goes out back to back). The send methods are thread-safe. DTLS runs on its
 * session's thread.
 *
 * <p>Lifecycle: construct (ICE gathers on the shared port), put {@link #localTransport()} in the answer,
 * {@link #start} with the offer's transport, wait for {@link MediaListener#onConnected}; on ICE failure, consent
 * expiry or DTLS failure/close the transport closes itself and reports {@link MediaListener#onClosed}.
 */
public final class EndpointTransport implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(EndpointTransport.class.getName());
    /** The receive pipeline's queue: ~0.5 s of a 720p video + audio publisher. */
    public static final int DEFAULT_RECEIVE_QUEUE = 256;
    /** Crypto contexts per endpoint: a few audio/video/RTX SSRCs, simulcast layers, and margin. */
    private static final int MAX_REMOTE_SSRCS = 32;
    /**
     * The browser starts SRTP as soon as it has our Finished, which can be a moment before Bouncy Castle hands us
     * the keys; those first packets (often the key frame's) are held rather than dropped.
     */
    private static final int MAX_HELD_BEFORE_KEYS = 128;

    private final String id;
    private final DtlsCertificate certificate;
    private final MediaListener listener;
    private final IceTransport ice;
    private final BlockingQueue<PacketInfo> receiveQueue;
    private final Pipeline receivePipeline;
    private final TransportCounters counters = new TransportCounters();
    private final Thread pipeline;
    private final ReceiveDispatch dispatch;
    /** Held by whichever thread runs the receive pipeline. */
    private final ReentrantLock receiving = new ReentrantLock();
    /** Packets that arrived before SRTP keys; touched only under {@link #receiving}. */
    private final ArrayDeque<PacketInfo> heldBeforeKeys = new ArrayDeque<>();
    private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();
    private volatile DtlsSession dtls;
    private volatile SrtpReceiver srtpReceiver;
    private volatile SrtpSender srtpSender;

    /**
     * @param id names threads and log lines
     * @param receiveQueueCapacity bound of the queue between the network thread and the pipeline thread
     * @throws IOException when ICE cannot set up on the port
     */
    public EndpointTransport(String id, IceUdpPort port, DtlsCertificate certificate,
                             ScheduledExecutorService scheduler, Clock clock, MediaListener listener,
                             int receiveQueueCapacity) throws IOException {
        this(id, port, certificate, scheduler, clock, listener, null, receiveQueueCapacity);
    }

    /**
     * A transport whose decrypted packets continue into the caller's nodes; {@code listener} then only hears
     * {@link MediaListener#onConnected} and {@link MediaListener#onClosed}.
     *
     * @param stages the rest of the receive pipeline; null to deliver to {@code listener}
     * @throws IOException when ICE cannot set up on the port
     */
    public EndpointTransport(String id, IceUdpPort port, DtlsCertificate certificate,
                             ScheduledExecutorService scheduler, Clock clock, MediaListener listener,
                             ReceiveStages stages, int receiveQueueCapacity) throws IOException {
        this.id = id;
        this.certificate = certificate;
        this.listener = listener;
        this.receiveQueue = new ArrayBlockingQueue<>(receiveQueueCapacity);
        this.receivePipeline = buildReceivePipeline(stages != null ? stages
                : new TransportNodes.ListenerStages(listener));
        this.dispatch = ReceiveDispatch.of(port);
        this.ice = new IceTransport(port, new IceEvents(), this::onDatagram, scheduler, clock);
        this.pipeline = new Thread(this::runPipeline, "endpoint-" + id);
        this.pipeline.setDaemon(true);
        this.pipeline.start();
    }

    /** Our side of the transport for the SDP answer. */
    public LocalTransport localTransport() {
        return new LocalTransport(ice.localUfrag(), ice.localPassword(), ice.isLite(), certificate.fingerprint(),
                ice.localCandidates());
    }

    /**
     * Starts ICE with the offer's credentials; the first call also creates the DTLS session for the offer's
     * fingerprint, which starts once ICE has a valid pair. After {@link #restartIce()}, call it again with the new
     * offer: only ICE restarts, DTLS and SRTP continue.
     */
    public void start(RemoteTransport remote) {
        if (closeReason.get() != null) {
            return;
        }
        if (dtls == null) {
            dtls = new DtlsSession(certificate, remote.fingerprint(), ice::send, new DtlsEvents(), id);
        }
        ice.start(remote.iceUfrag(), remote.icePassword(), remote.candidates());
    }

    /** A trickled remote candidate (RFC 8838); ignored before {@link #start} and after close. */
    public void addRemoteCandidate(IceCandidate candidate) {
        if (closeReason.get() == null && dtls != null) {
            ice.addRemoteCandidate(candidate);
        }
    }

    /** Whether DTLS completed and SRTP keys are in place. */
    public boolean isConnected() {
        return srtpSender != null && closeReason.get() == null;
    }

    /** ICE restart: new local credentials for the answer to a restart offer; then {@link #start} again. */
    public LocalTransport restartIce() throws IOException {
        ice.restart();
        return localTransport();
    }

    /**
     * The receive pipeline, in order: RTP and RTCP part ways (RFC 5761 §4), each is authenticated and decrypted,
     * its headers checked, and it goes on into the stages the owner of this transport added.
     */
    private Pipeline buildReceivePipeline(ReceiveStages stages) {
        DemuxerNode demux = new DemuxerNode("rtp-rtcp-demux");
        demux.branch("rtcp", TransportNodes::isRtcp,
                        new TransportNodes.SrtcpDecryptNode(() -> srtpReceiver, counters))
                .then(new TransportNodes.RtcpParseNode(counters))
                .then(stages.rtcp());
        demux.branch("rtp", packet -> true, new TransportNodes.SrtpDecryptNode(() -> srtpReceiver, counters))
                .then(new TransportNodes.RtpParseNode(counters))
                .then(stages.rtp());
        return new Pipeline("receive-" + id, demux);
    }

    /**
     * The transport's end of a send pipeline: SRTP encryption, then out on ICE's selected pair. Each call makes
     * new nodes for the one pipeline (and thread) that will own them; put packets whose RTP header is final in.
     */
    public ChainNode newSendTail() {
        ChainNode encrypt = new TransportNodes.SrtpEncryptNode(() -> srtpSender, counters);
        encrypt.then(new IceSendNode());
        return encrypt;
    }

    /** The last node of a send pipeline. */
    private final class IceSendNode extends ConsumerNode {
        IceSendNode() {
            super("ice-send");
        }

        @Override
        protected boolean consume(PacketInfo packet) {
            PacketBuffer buffer = packet.buffer();
            try {
                // Measured just before the socket: what the node added to the packet's journey.
                ForwardingLatency.NODE.recordSince(packet.receivedNanos());
                ice.send(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
                counters.sent(buffer.getLength());
                return true;
            } catch (IOException e) {
                counters.dropped(DropReason.SEND_FAILED);
                return false;
            }
        }
    }

    /** Called on the port's receive thread: classify, copy, then run the pipeline or hand off. Never blocks. */
    private void onDatagram(byte[] buf, int off, int len) {
        counters.received(len);
        switch (DatagramType.of(buf, off, len)) {
            case DTLS -> {
                DtlsSession session = dtls;
                if (session != null) {
                    session.receive(buf, off, len);
                } else {
                    counters.dropped(DropReason.UNKNOWN_DATAGRAM);
                }
            }
            case RTP, RTCP -> {
                long now = System.nanoTime();
                if (!receiveQueue.offer(new PacketInfo(PacketBuffer.copyOf(buf, off, len), now))) {
                    counters.dropped(DropReason.RECEIVE_QUEUE_FULL);
                }
                if (dispatch.inline(now)) {
                    drainReceived();
                } else {
                    LockSupport.unpark(pipeline);
                }
            }
            default -> counters.dropped(DropReason.UNKNOWN_DATAGRAM);
        }
    }

    /** The endpoint's thread: drains the queue each time the port's thread hands off to it. */
    private void runPipeline() {
        while (closeReason.get() == null) {
            LockSupport.park(this);
            drainReceived();
        }
    }

    /**
     * Runs queued packets through the pipeline while this thread can take the lock; whoever held it looks at the
     * queue again after letting go, so no packet is stranded.
     */
    private void drainReceived() {
        while (!receiveQueue.isEmpty() && receiving.tryLock()) {
            long start = System.nanoTime();
            SendBatch batch = SendBatch.open();
            try {
                PacketInfo packet;
                while ((packet = receiveQueue.poll()) != null && closeReason.get() == null) {
                    try {
                        process(packet);
                    } catch (RuntimeException e) {
                        counters.dropped(DropReason.LISTENER_ERROR);
                        LOGGER.log(Level.WARNING, "endpoint " + id + ": packet handling failed", e);
                    }
                }
            } finally {
                batch.close();
                receiving.unlock();
                dispatch.recordBusy(System.nanoTime() - start);
            }
            if (closeReason.get() != null) {
                receiveQueue.clear();
                return;
            }
        }
    }

    private void process(PacketInfo packet) {
        if (srtpReceiver == null) {
            if (heldBeforeKeys.size() < MAX_HELD_BEFORE_KEYS) {
                heldBeforeKeys.add(packet);
            } else {
                counters.dropped(DropReason.NO_SRTP_KEYS);
            }
            return;
        }
        while (!heldBeforeKeys.isEmpty()) {
            receivePipeline.process(heldBeforeKeys.poll());
        }
        receivePipeline.process(packet);
    }

    /** The receive pipeline's node counters. */
    public Pipeline receivePipeline() {
        return receivePipeline;
    }

    /** Encrypts an RTP packet in place and sends it. Thread-safe. */
    public SrtpStatus sendRtp(PacketBuffer packet) {
        SrtpSender sender = srtpSender;
        if (sender == null) {
            counters.dropped(DropReason.SEND_BEFORE_KEYS);
            return SrtpStatus.MALFORMED;
        }
        return send(packet, sender.protectRtp(packet));
    }

    /** Encrypts a compound RTCP packet in place and sends it. Thread-safe. */
    public SrtpStatus sendRtcp(PacketBuffer packet) {
        SrtpSender sender = srtpSender;
        if (sender == null) {
            counters.dropped(DropReason.SEND_BEFORE_KEYS);
            return SrtpStatus.MALFORMED;
        }
        return send(packet, sender.protectRtcp(packet));
    }

    private SrtpStatus send(PacketBuffer packet, SrtpStatus status) {
        if (status != SrtpStatus.OK) {
            counters.dropped(DropReason.ENCRYPT_FAILED);
            return status;
        }
        try {
            ice.send(packet.getBuffer(), packet.getOffset(), packet.getLength());
            counters.sent(packet.getLength());
        } catch (IOException e) {
            counters.dropped(DropReason.SEND_FAILED);
        }
        return status;
    }

    /** Counters of this transport. */
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** SRTP outcomes of received RTP; all zero before DTLS completes. */
    public SrtpCounters srtpRtpCounters() {
        SrtpReceiver receiver = srtpReceiver;
        return receiver == null ? new SrtpCounters() : receiver.rtpCounters();
    }

    /** SRTP outcomes of received RTCP; all zero before DTLS completes. */
    public SrtpCounters srtpRtcpCounters() {
        SrtpReceiver receiver = srtpReceiver;
        return receiver == null ? new SrtpCounters() : receiver.rtcpCounters();
    }

    /** The DTLS handshake's duration in nanoseconds, from ICE's first valid pair; -1 until it completed. */
    public long dtlsHandshakeNanos() {
        DtlsSession session = dtls;
        return session == null ? -1 : session.handshakeNanos();
    }

    public String id() {
        return id;
    }

    /** Closes with {@link CloseReason#LOCAL}. Idempotent. */
    @Override
    public void close() {
        close(CloseReason.LOCAL);
    }

    private void close(CloseReason reason) {
        if (!closeReason.compareAndSet(null, reason)) {
            return;
        }
        ice.close();
        DtlsSession session = dtls;
        if (session != null) {
            session.close();
        }
        receiveQueue.clear();
        LockSupport.unpark(pipeline);
        // A thread may still be running the pipeline with the receiver: it stops at its next packet; the contexts
        // hold no resources beyond memory, so the receiver is left to the garbage collector.
        SrtpSender sender = srtpSender;
        if (sender != null) {
            sender.close();
        }
        listener.onClosed(reason);
    }

    private final class IceEvents implements IceListener {
        @Override
        public void onWritable() {
            DtlsSession session = dtls;
            if (session != null) {
                session.start();
            }
        }

        @Override
        public void onConnected() {
            LOGGER.fine(() -> "endpoint " + id + ": ICE connected");
        }

        @Override
        public void onFailed() {
            close(CloseReason.ICE_FAILED);
        }

        @Override
        public void onConsentExpired() {
            close(CloseReason.CONSENT_EXPIRED);
        }
    }

    private final class DtlsEvents implements DtlsListener {
        @Override
        public void onHandshakeComplete(SrtpKeys keys) {
            srtpSender = new SrtpSender(keys);
            srtpReceiver = new SrtpReceiver(keys, MAX_REMOTE_SSRCS);
            listener.onConnected(EndpointTransport.this);
        }

        @Override
        public void onHandshakeFailed(Exception cause) {
            LOGGER.log(Level.INFO, "endpoint " + id + ": DTLS handshake failed", cause);
            close(CloseReason.DTLS_FAILED);
        }

        @Override
        public void onClosed() {
            close(CloseReason.DTLS_CLOSED);
        }
    }
}
