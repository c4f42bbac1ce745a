package io.tribune.sfu.tap;

import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.room.PublishedTrack;
import io.tribune.sfu.room.Room;
import io.tribune.sfu.room.StageTap;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tapped room's media tap (for a recording, or for live captions only: then {@code recordingId} is null and
 * only audio tracks are tapped): one more receiver of each announced track's fan-out (a {@link StageTap}, beside
 * the down tracks and any RTP egress), with a {@link TrackTap} per track. The node timer {@linkplain #sync syncs}
 * it with the room: new tracks are tapped, tracks gone (unpublished, their participant left) end. Closing it (the
 * recording stopped, the room gone) ends every track. {@link #captions} switches the audio tracks' captions flag
 * (in-band, {@link TrackTap#captions}).
 *
 * <p>Threading: {@link #offer} runs on publishers' receive threads and reads the concurrent map without a lock;
 * {@link #sync} and {@link #close} are serialised on this object. Thread-safe.
 */
public final class RoomTap implements StageTap {

    /** A room's tap figures, for metrics; added to by the receive threads and the producer thread. */
    static final class Counters {
        final LongAdder packets = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder dropped = new LongAdder();
    }

    private final String roomId;
    private final String recordingId;
    private final boolean audioOnly;
    private final TapQueue queue;
    private final Clock clock;
    private final Counters counters = new Counters();
    private final Map<PublishedTrack, TrackTap> tracks = new ConcurrentHashMap<>();
    private boolean closed;
    private volatile boolean captions;

    /** @param recordingId the recording tapped for; null for a captions-only tap (audio tracks only) */
    RoomTap(String roomId, String recordingId, boolean captions, TapQueue queue, Clock clock) {
        this.roomId = roomId;
        this.recordingId = recordingId;
        this.audioOnly = recordingId == null;
        this.captions = captions;
        this.queue = queue;
        this.clock = clock;
    }

    public String roomId() {
        return roomId;
    }

    /** The recording this tap serves; null for a captions-only tap. */
    public String recordingId() {
        return recordingId;
    }

    /** Whether the room's audio tracks are tapped for live captions now. */
    public boolean captions() {
        return captions;
    }

    /** Switches live captions for every tapped audio track (and the tracks tapped later). */
    synchronized void captions(boolean on) {
        if (closed) {
            return;
        }
        captions = on;
        for (TrackTap tap : tracks.values()) {
            tap.captions(on);
        }
    }

    /** Packets of this room handed to Kafka. */
    public long packets() {
        return counters.packets.sum();
    }

    /** Bytes of this room's RTP records handed to Kafka. */
    public long bytes() {
        return counters.bytes.sum();
    }

    /** This room's packets dropped because the queue was full. */
    public long dropped() {
        return counters.dropped.sum();
    }

    /** Tracks tapped now. */
    public int trackCount() {
        return tracks.size();
    }

    @Override
    public boolean offer(PublishedTrack track, PacketInfo packet) {
        TrackTap tap = tracks.get(track);
        return tap == null || tap.offer(packet);
    }

    /**
     * Node timer: taps the room's new tracks and ends those gone; asks for a key frame where a video tap waits for
     * one.
     *
     * @param room the room, or null when nobody is in it on this node any more
     */
    synchronized void sync(Room room) {
        if (closed) {
            return;
        }
        List<PublishedTrack> stage = room == null ? List.of() : room.announcedTracks();
        Set<PublishedTrack> present = new HashSet<>(stage);
        for (TrackTap tap : List.copyOf(tracks.values())) {
            if (!present.contains(tap.track())) {
                end(tap);
            }
        }
        long nowMillis = clock.millis();
        for (PublishedTrack track : stage) {
            if (audioOnly && !track.kind().equals("audio")) {
                continue;
            }
            TrackTap tap = tracks.get(track);
            if (tap == null) {
                tap = new TrackTap(track, roomId, recordingId, captions, queue, counters, clock);
                tracks.put(track, tap);
                track.addTap(this);
            }
            if (tap.waitingForKeyFrame()) {
                track.requestKeyFrame(Math.max(0, track.highestActiveLayer(System.nanoTime())), nowMillis);
            }
        }
    }

    private void end(TrackTap tap) {
        tap.track().removeTap(this);
        tracks.remove(tap.track());
        tap.end();
    }

    /** Ends every track's tap (an Ended event each that had started); further syncs do nothing. */
    synchronized void close() {
        closed = true;
        for (TrackTap tap : List.copyOf(tracks.values())) {
            end(tap);
        }
    }
}
