package io.tribune.sfu.room;

import io.tribune.sfu.bwe.TransportCcRecorder;
import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.media.HeaderExtensionIds;
import io.tribune.sfu.media.HeaderExtensionReader;
import io.tribune.sfu.pipeline.Node;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.rtp.GenericNack;
import io.tribune.sfu.rtp.PictureLossIndication;
import io.tribune.sfu.rtp.ReceiverReport;
import io.tribune.sfu.rtp.Remb;
import io.tribune.sfu.rtp.ReportBlock;
import io.tribune.sfu.rtp.RtcpCompoundWriter;
import io.tribune.sfu.rtp.RtcpPacket;
import io.tribune.sfu.srtp.PacketBuffer;
import io.tribune.sfu.transport.CloseReason;
import io.tribune.sfu.transport.EndpointTransport;
import io.tribune.sfu.transport.MediaListener;
import io.tribune.sfu.transport.ReceiveStages;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One person in a room: what the join token allows, the one peer connection's {@link EndpointTransport} (it
 * publishes and subscribes on the same BUNDLE), the tracks it publishes and the {@link DownTrack}s it receives,
 * and its send loop. Its receive pipeline, in order:
 *
 * <pre>
 *   rtp-rtcp-demux -rtp->  srtp-decrypt -> rtp-parse -> header-extension-reader -> transport-cc-recorder
 *                          -> track-classifier (SSRC, or mid + rid: the simulcast layer) -> key-frame-detector
 *                          -> reception-statistics (bitrate per layer, receiver reports) -> mute-filter
 *                          -> audio-level-observer -> room-fan-out (into each subscriber's SendLoop, except
 *                          the down tracks last-N paused)
 *                  -rtcp-> srtcp-decrypt -> rtcp-parse -> rtcp-termination (NACK and transport-cc/REMB into our
 *                          SendLoop; PLI/FIR to the publisher; sender reports and report blocks kept)
 * </pre>
 *
 * <p>Thread-safety: the maps of published and received tracks by mid are changed only under the room's lock;
 * the lookups the receive pipeline makes go through concurrent maps and volatile fields.
 */
public final class Participant {

    private final String id;
    private final String name;
    private final String role;
    private final Set<String> permissions;
    private final Room room;
    private final ParticipantEvents events;
    private final MediaContext media;
    private final int rtcpSsrc = ThreadLocalRandom.current().nextInt();
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    // Guarded by the room's lock (publishedByMid is also read by the receive pipeline).
    final Map<String, PublishedTrack> publishedByMid = new ConcurrentHashMap<>();
    final Map<String, DownTrack> downByMid = new LinkedHashMap<>();
    final Set<String> retiredMids = new HashSet<>();
    final Map<String, Map<String, Object>> preferences = new LinkedHashMap<>();
    String remoteUfrag;
    /** This subscriber's last-N, or null for the node's default. */
    Integer lastN;

    private final Map<Long, PublishedTrack> tracksBySsrc = new ConcurrentHashMap<>();
    private final Map<Long, DownTrack> downBySsrc = new ConcurrentHashMap<>();
    private final List<DownTrack> downTracks = new CopyOnWriteArrayList<>();
    private volatile double rttMillis = -1;
    private volatile double downlinkLossFraction;
    private volatile long downlinkEstimateBps = -1;
    // The receive thread's own: transport-cc feedback and receiver reports to this participant as a publisher.
    private final TransportCcRecorder transportCc = new TransportCcRecorder(System.nanoTime());
    private long lastReceiverReportNanos;
    private volatile long transportCcFeedbackSent;
    private final List<IceCandidate> earlyCandidates = new ArrayList<>();
    private volatile HeaderExtensionIds extensionIds = HeaderExtensionIds.NONE;
    private volatile EndpointTransport transport;
    private volatile SendLoop sendLoop;
    private volatile boolean closed;

    Participant(String id, String name, String role, Set<String> permissions, Room room, ParticipantEvents events,
                MediaContext media) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.permissions = Set.copyOf(permissions);
        this.room = room;
        this.events = events;
        this.media = media;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String role() {
        return role;
    }

    public Room room() {
        return room;
    }

    ParticipantEvents events() {
        return events;
    }

    long sessionId() {
        return sessionId;
    }

    /** Whether the join token granted this permission ({@code publish}, {@code subscribe}, ...). */
    public boolean may(String permission) {
        return permissions.contains(permission);
    }

    EndpointTransport transport() {
        return transport;
    }

    Clock clock() {
        return media.clock();
    }

    /** Creates the peer connection's transport and send loop, on the first offer. Under the room's lock. */
    void createTransport() throws IOException {
        EndpointTransport created = new EndpointTransport(id, media.port(), media.certificate(), media.scheduler(),
                media.clock(), new TransportEvents(), buildReceiveStages(), media.receiveQueue());
        sendLoop = new SendLoop(this, created, media.sendQueue(), media.simulatedLossPercent());
        transport = created;
    }

    /** The room's part of the receive pipeline; the transport puts demux, decrypt and parse in front. */
    private ReceiveStages buildReceiveStages() {
        HeaderExtensionReader rtp = new HeaderExtensionReader(() -> extensionIds);
        rtp.then(new ReceiveNodes.TransportCcRecording(this))
                .then(new ReceiveNodes.TrackClassifier(this))
                .then(new ReceiveNodes.KeyFrameDetector())
                .then(new ReceiveNodes.ReceptionStatisticsNode(this))
                .then(new ReceiveNodes.MuteFilter())
                .then(new ReceiveNodes.AudioLevelObserver(room.settings().speechLevel()))
                .then(new ReceiveNodes.FanOut());
        return new Stages(rtp, new ReceiveNodes.RtcpTermination(this, media.clock()));
    }

    private record Stages(Node rtp, Node rtcp) implements ReceiveStages {
    }

    void setExtensionIds(HeaderExtensionIds ids) {
        extensionIds = ids;
    }

    HeaderExtensionIds extensionIds() {
        return extensionIds;
    }

    /**
     * Receive pipeline: the published track of a packet, with its layer set on the packet; learns SSRCs announced
     * only by the mid and rid extensions (simulcast offers carry no a=ssrc).
     */
    PublishedTrack trackFor(PacketInfo packet) {
        PublishedTrack track = tracksBySsrc.get(packet.ssrc());
        if (track != null) {
            packet.setLayer(Math.max(0, track.layerOf(packet.ssrc())));
            return track;
        }
        if (packet.mid() != null) {
            track = publishedByMid.get(packet.mid());
            if (track != null) {
                int layer = track.learn(packet);
                if (layer < 0) {
                    return null;
                }
                tracksBySsrc.put(packet.ssrc(), track);
                packet.setLayer(layer);
            }
        }
        return track;
    }

    /** Receive pipeline (RTCP): the published track with this SSRC, or null. */
    PublishedTrack publishedBySsrc(long ssrc) {
        return tracksBySsrc.get(ssrc);
    }

    /** Indexes a published track by the SSRCs of its latest offer and those learned. Under the room's lock. */
    void indexTrack(PublishedTrack track) {
        tracksBySsrc.values().removeIf(t -> t == track);
        for (long ssrc : track.knownSsrcs()) {
            tracksBySsrc.put(ssrc, track);
        }
    }

    void unindexTrack(PublishedTrack track) {
        tracksBySsrc.values().removeIf(t -> t == track);
    }

    /** A new down track on this subscriber's {@code mid}, with fresh SSRCs. Under the room's lock. */
    DownTrack addDownTrack(PublishedTrack track, String mid) {
        long ssrc = freshSsrc();
        long rtx = freshSsrc();
        DownTrack down = new DownTrack(this, track, mid, ssrc, rtx);
        downByMid.put(mid, down);
        downTracks.add(down);
        downBySsrc.put(ssrc, down);
        downBySsrc.put(rtx, down);
        track.downTracks().add(down);
        return down;
    }

    private long freshSsrc() {
        long ssrc;
        do {
            ssrc = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
        } while (downBySsrc.containsKey(ssrc));
        return ssrc;
    }

    /** Stops a down track; its mid is never bound to another track. Under the room's lock. */
    void removeDownTrack(DownTrack down) {
        down.track().downTracks().remove(down);
        downByMid.remove(down.mid(), down);
        downTracks.remove(down);
        downBySsrc.values().removeIf(d -> d == down);
        retiredMids.add(down.mid());
    }

    /** Whether this subscriber pinned the track ({@code pinned} in its preferences). Under the room's lock. */
    boolean pinned(String trackId) {
        Map<String, Object> preference = preferences.get(trackId);
        return preference != null && Boolean.TRUE.equals(preference.get("pinned"));
    }

    boolean subscribesTo(PublishedTrack track) {
        for (DownTrack down : downByMid.values()) {
            if (down.track() == track) {
                return true;
            }
        }
        return false;
    }

    /** Receive pipeline (RTCP): the down track the SFU sends this participant under an SSRC. */
    DownTrack downTrackBySsrc(long ssrc) {
        return downBySsrc.get(ssrc);
    }

    /** The tracks this participant receives; any thread (a copy-on-write list). */
    List<DownTrack> downTracks() {
        return downTracks;
    }

    /** Receive pipeline (RTCP): transport-cc feedback or a REMB, for the send pipeline's bandwidth estimator. */
    void bandwidthFeedback(RtcpPacket feedback) {
        SendLoop loop = sendLoop;
        if (loop != null && !closed) {
            loop.offerFeedback(feedback);
        }
    }

    /**
     * Receive pipeline (RTCP): a report block about one of our down streams. RTT = now - LSR - DLSR, all in
     * 1/65536 s (RFC 3550 §6.4.1); smoothed.
     */
    /**
     * A report block this participant sent about a stream the SFU sends it: keeps its loss and RTT (RFC 3550
     * §6.4.1: RTT = A - LSR - DLSR). Returns this block's RTT sample in ms, or -1 when it names no sender report
     * or the result is not plausible.
     */
    double reportBlock(ReportBlock block, long nowNtp) {
        downlinkLossFraction = block.fractionLost() / 256.0;
        if (block.lastSenderReport() == 0) {
            return -1;
        }
        long compactNow = (nowNtp >>> 16) & 0xffffffffL;
        long rtt = (compactNow - block.lastSenderReport() - block.delaySinceLastSenderReport()) & 0xffffffffL;
        if (rtt > 65_536L * 10) {
            return -1; // wrapped or bogus
        }
        double millis = rtt * 1000.0 / 65_536;
        double previous = rttMillis;
        rttMillis = previous < 0 ? millis : previous * 0.8 + millis * 0.2;
        return millis;
    }

    /** How many transport-cc feedback packets the SFU sent this participant (as a publisher). */
    public long transportCcFeedbackSent() {
        return transportCcFeedbackSent;
    }

    /** Round-trip time to this participant from its receiver reports, in ms; -1 before the first. */
    public double rttMillis() {
        return rttMillis;
    }

    /** The loss this participant reported on the latest block about what the SFU sends it (0..1). */
    public double downlinkLossFraction() {
        return downlinkLossFraction;
    }

    /** The downlink bandwidth estimate, in bits per second; -1 before the send loop made one. */
    public long downlinkEstimateBps() {
        return downlinkEstimateBps;
    }

    void publishDownlinkEstimate(long bps) {
        downlinkEstimateBps = bps;
    }

    /** What this participant publishes, per layer: size, bitrate, loss and jitter as the node measures them. */
    public List<LayerStats> publishedLayers() {
        List<LayerStats> out = new ArrayList<>();
        for (PublishedTrack track : publishedByMid.values()) {
            for (Layer layer : track.layers()) {
                out.add(new LayerStats(track.id(), layer.index, layer.rid, layer.width(), layer.height(),
                        layer.measuredBitrateBps(), layer.reception.lossFraction(), layer.reception.jitterMillis()));
            }
        }
        return out;
    }

    /** Receive thread: records a transport-wide sequence number and sends feedback when due. */
    void recordTransportSequence(int sequence, long ssrc, long nowNanos) {
        transportCc.record(sequence, nowNanos);
        if (transportCc.due(nowNanos)) {
            RtcpPacket feedback = transportCc.build(rtcpSsrc, (int) ssrc, nowNanos);
            if (feedback != null) {
                sendFeedback(feedback);
                transportCcFeedbackSent++;
            }
        }
    }

    /**
     * Receive thread: a receiver report on every layer this participant publishes, once a second, with a REMB that
     * caps what it sends at the room's {@link RoomSettings#maxPublishKbps}.
     */
    void maybeSendReceiverReports(long nowNanos) {
        if (nowNanos - lastReceiverReportNanos < 1_000_000_000L) {
            return;
        }
        lastReceiverReportNanos = nowNanos;
        List<ReportBlock> blocks = new ArrayList<>();
        for (PublishedTrack track : publishedByMid.values()) {
            int rate = track.kind().equals("audio") ? 48_000 : 90_000;
            for (Layer layer : track.layers()) {
                ReportBlock block = layer.ssrc() < 0 ? null : layer.reception.report(layer.ssrc(), rate, nowNanos);
                if (block != null && blocks.size() < 31) {
                    blocks.add(block);
                }
            }
        }
        EndpointTransport current = transport;
        if (blocks.isEmpty() || current == null || closed || !current.isConnected()) {
            return;
        }
        // The report's sources are this participant's media (a REMB names at most 255).
        List<Integer> sources = new ArrayList<>();
        for (ReportBlock block : blocks) {
            sources.add(block.ssrc());
        }
        Remb cap = new Remb(rtcpSsrc, room.settings().maxPublishKbps() * 1000L, sources);
        byte[] bytes = RtcpCompoundWriter.encode(List.of(new ReceiverReport(rtcpSsrc, blocks), cap));
        current.sendRtcp(PacketBuffer.copyOf(bytes, 0, bytes.length));
    }

    /** The SSRC the SFU's RTCP to this participant comes from. */
    int rtcpSsrc() {
        return rtcpSsrc;
    }

    /** Fan-out, on a publisher's receive thread: hands a packet to this subscriber's send loop. */
    boolean enqueueForSend(PacketInfo packet) {
        SendLoop loop = sendLoop;
        return loop != null && !closed && loop.offer(packet);
    }

    /** Receive pipeline (RTCP): a NACK for one of this subscriber's down tracks, answered by its send pipeline. */
    void requestResend(DownTrack down, List<Integer> sequenceNumbers) {
        SendLoop loop = sendLoop;
        if (loop != null && !closed) {
            loop.offerResend(down, sequenceNumbers);
        }
    }

    /** A trickled candidate; kept until the transport exists. Under the room's lock. */
    void addRemoteCandidate(IceCandidate candidate) {
        EndpointTransport current = transport;
        if (current == null || remoteUfrag == null) {
            earlyCandidates.add(candidate);
        } else {
            current.addRemoteCandidate(candidate);
        }
    }

    void flushEarlyCandidates() {
        EndpointTransport current = transport;
        if (current != null) {
            earlyCandidates.forEach(current::addRemoteCandidate);
        }
        earlyCandidates.clear();
    }

    /** Asks this (publishing) participant for a key frame on one of its SSRCs. Any thread. */
    void sendPictureLossIndication(long mediaSsrc) {
        if (sendFeedback(new PictureLossIndication(rtcpSsrc, (int) mediaSsrc))) {
            room.counters().plisSent.increment();
        }
    }

    /** Asks this (publishing) participant to retransmit (RFC 4585 §6.2.1). Any thread. */
    void sendNack(long mediaSsrc, List<Integer> lost) {
        if (sendFeedback(new GenericNack(rtcpSsrc, (int) mediaSsrc, lost))) {
            room.counters().nacksSent.increment();
        }
    }

    /** Returns whether it went out (false before the transport is connected). */
    boolean sendFeedback(RtcpPacket feedback) {
        EndpointTransport current = transport;
        if (current == null || closed || !current.isConnected()) {
            return false;
        }
        // RFC 3550 §6.1: a compound packet starts with a report; an empty RR says we send nothing ourselves.
        byte[] bytes = RtcpCompoundWriter.encode(List.of(new ReceiverReport(rtcpSsrc, List.of()), feedback));
        current.sendRtcp(PacketBuffer.copyOf(bytes, 0, bytes.length));
        return true;
    }

    /** The receive and send pipelines, for metrics; empty before the first offer. */
    public List<Pipeline> pipelines() {
        EndpointTransport current = transport;
        SendLoop loop = sendLoop;
        List<Pipeline> out = new ArrayList<>();
        if (current != null) {
            out.add(current.receivePipeline());
        }
        if (loop != null) {
            out.add(loop.pipeline());
        }
        return out;
    }

    ParticipantInfo info() {
        List<TrackInfo> tracks = new ArrayList<>();
        for (PublishedTrack track : publishedByMid.values()) {
            if (track.announced()) {
                tracks.add(track.info());
            }
        }
        return new ParticipantInfo(id, name, role, tracks);
    }

    /** Datagrams and bytes of this participant's transport; all zero before its first offer. */
    RoomStats traffic() {
        EndpointTransport current = transport;
        if (current == null) {
            return RoomStats.EMPTY.countsOnly();
        }
        var stats = current.stats();
        return new RoomStats(0, 0, 0, 0, stats.packetsIn(), stats.bytesIn(), stats.packetsOut(), stats.bytesOut(),
                0, 0, 0, 0, -1, -1);
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the transport and the send loop. Under the room's lock. */
    void close() {
        closed = true;
        SendLoop loop = sendLoop;
        if (loop != null) {
            loop.close();
        }
        EndpointTransport current = transport;
        if (current != null) {
            current.close();
        }
    }

    /** Transport lifecycle: a new connection needs key frames; a dead one removes the participant. */
    private final class TransportEvents implements MediaListener {
        @Override
        public void onConnected(EndpointTransport connected) {
            room.requestKeyFramesFor(Participant.this);
        }

        @Override
        public void onRtp(PacketBuffer packet) {
            // Not called: the receive stages take the packets.
        }

        @Override
        public void onRtcp(PacketBuffer packet) {
            // Not called: the receive stages take the packets.
        }

        @Override
        public void onClosed(CloseReason reason) {
            if (reason != CloseReason.LOCAL) {
                room.mediaFailed(Participant.this, reason);
            }
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
