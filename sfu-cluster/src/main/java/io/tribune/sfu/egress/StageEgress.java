package io.tribune.sfu.egress;

import io.tribune.sfu.media.HeaderExtensionStripper;
import io.tribune.sfu.pipeline.CombiningQueue;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.pipeline.Pipeline;
import io.tribune.sfu.pipeline.SendBatch;
import io.tribune.sfu.room.PublishedTrack;
import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.StageTap;
import io.tribune.sfu.sdp.Codec;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One room's RTP egress: the stage tracks (every announced camera, screen share and microphone) as plain RTP over
 * UDP to a transcoder, one port per track, SRTP terminated here. It is one more receiver of each track's fan-out
 * (a {@link StageTap}), with a send pipeline of its own:
 *
 * <pre>
 *   publisher's room-fan-out --copy (media PT only)--> queue -> egress-layer-filter (highest active layer; switch
 *       at its key frame, PLI while waiting; no RTX, RED, FEC, padding) -> egress-rewriter (stable SSRC and PT, continuous
 *       sequence numbers and timestamps) -> header-extension-stripper -> egress-udp-send
 *   node timer, every 500 ms: sync (tracks added and gone, slots, description, dominant speaker)
 *       -> PLI for streams without a key frame yet, and for every video stream every 3 s
 * </pre>
 *
 * <p>Threading: as a subscriber's {@code SendLoop}, there is no thread of its own: the publisher's receive thread
 * that offers a packet runs the pipeline while no other thread does (a {@link CombiningQueue}; deferred to the
 * thread's {@link SendBatch} when one is open). {@link #sync} runs on the node timer under this object's lock;
 * the streams map is concurrent so the fan-out reads it without a lock. Thread-safe.
 */
public final class StageEgress implements StageTap, AutoCloseable {

    /** Every video stream gets a key frame request this often, so a decoder that lost a packet recovers. */
    static final long KEY_FRAME_REFRESH_MILLIS = 3_000;
    private static final int QUEUE_CAPACITY = 2_048;
    private static final Logger LOGGER = Logger.getLogger(StageEgress.class.getName());

    private final String roomId;
    private final EgressTarget target;
    private final Clock clock;
    private final Map<PublishedTrack, EgressStream> streams = new ConcurrentHashMap<>();
    private final CombiningQueue queue;
    private final BitSet slots = new BitSet();
    private volatile boolean closed;
    private volatile EgressDescription description;
    private long version;
    private long lastRefreshMillis = Long.MIN_VALUE / 2;

    StageEgress(String roomId, EgressTarget target, Clock clock) {
        this.roomId = roomId;
        this.target = target;
        this.clock = clock;
        EgressNodes.LayerFilter filter = new EgressNodes.LayerFilter(clock);
        filter.then(new EgressNodes.Rewriter())
                .then(new HeaderExtensionStripper())
                .then(new EgressNodes.UdpSend());
        this.queue = new CombiningQueue(new Pipeline("egress-" + roomId, filter), QUEUE_CAPACITY);
        this.description = new EgressDescription(roomId, target.host().getHostAddress(), null, List.of(), 0);
    }

    public String roomId() {
        return roomId;
    }

    public EgressTarget target() {
        return target;
    }

    /** What is being sent now. */
    public EgressDescription description() {
        return description;
    }

    public Pipeline pipeline() {
        return queue.pipeline();
    }

    /** Packets sent per track id, for tests and metrics. */
    public Map<String, Long> packetsSent() {
        Map<String, Long> sent = new TreeMap<>();
        streams.values().forEach(s -> sent.put(s.track.id(), s.packetsSent));
        return sent;
    }

    public long droppedQueueFull() {
        return queue.droppedQueueFull();
    }

    @Override
    public boolean offer(PublishedTrack track, PacketInfo packet) {
        EgressStream stream = streams.get(track);
        if (closed || stream == null) {
            return false;
        }
        if (packet.payloadType() != track.payloadType()) {
            // RTX (retransmissions, padding probes), RED, FEC: never sent, not worth a copy.
            return true;
        }
        PacketInfo copy = packet.copy();
        copy.setRoute(stream);
        return queue.offer(copy);
    }

    /**
     * Node timer: follows the room's stage (taps new tracks, releases the slots of tracks gone), asks for key
     * frames, and updates the description.
     *
     * @param room the room, or null while nobody is in it on this node
     * @return whether the description changed
     */
    synchronized boolean sync(Room room, long nowMillis) {
        if (closed) {
            return false;
        }
        List<PublishedTrack> stage = room == null ? List.of() : room.announcedTracks();
        boolean changed = false;
        Set<PublishedTrack> present = new HashSet<>(stage);
        for (EgressStream stream : List.copyOf(streams.values())) {
            if (!present.contains(stream.track)) {
                stream.track.removeTap(this);
                streams.remove(stream.track);
                stream.close();
                slots.clear(stream.slot);
                changed = true;
            }
        }
        for (PublishedTrack track : stage) {
            if (!streams.containsKey(track) && add(track)) {
                changed = true;
            }
        }
        boolean refresh = nowMillis - lastRefreshMillis >= KEY_FRAME_REFRESH_MILLIS;
        if (refresh) {
            lastRefreshMillis = nowMillis;
        }
        long nowNanos = System.nanoTime();
        for (EgressStream stream : streams.values()) {
            if (stream.isVideo() && (refresh || stream.currentLayer < 0)) {
                stream.track.requestKeyFrame(Math.max(0, stream.track.highestActiveLayer(nowNanos)), nowMillis);
            }
        }
        String speaker = room == null ? null : room.activeSpeaker();
        if (changed || !Objects.equals(speaker, description.activeSpeaker())) {
            List<EgressDescription.Stream> list = new ArrayList<>();
            streams.values().stream().sorted(Comparator.comparingInt(s -> s.slot))
                    .forEach(s -> list.add(s.description));
            description = new EgressDescription(roomId, target.host().getHostAddress(), speaker, list, ++version);
            return true;
        }
        return false;
    }

    /** Gives a track a slot and taps it; false when its codec is unknown or unsupported, or no slot is free. */
    private boolean add(PublishedTrack track) {
        Codec codec = track.codec();
        if (codec == null) {
            return false;
        }
        String encoding = codec.name().toUpperCase(Locale.ROOT);
        int payloadType = switch (encoding) {
            case "VP8" -> 96;
            case "H264" -> 102;
            case "OPUS" -> 111;
            default -> -1;
        };
        int slot = slots.nextClearBit(0);
        if (payloadType < 0 || slot >= EgressTarget.MAX_STREAMS) {
            return false;
        }
        long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
        String fmtp = encoding.equals("H264") ? codec.parameters().orElse("packetization-mode=1") : null;
        EgressDescription.Stream described = new EgressDescription.Stream(track.owner().id(), track.id(),
                track.source().wireName(), track.kind(), encoding, codec.clockRate(),
                encoding.equals("OPUS") ? 2 : 0, payloadType, ssrc, target.port(slot), fmtp);
        EgressStream stream;
        try {
            stream = new EgressStream(track, slot, target.address(slot), described);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "egress " + roomId + ": cannot open a socket for " + track.id(), e);
            return false;
        }
        slots.set(slot);
        streams.put(track, stream);
        track.addTap(this);
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (EgressStream stream : streams.values()) {
            stream.track.removeTap(this);
            stream.close();
        }
        streams.clear();
        queue.close();
    }
}
