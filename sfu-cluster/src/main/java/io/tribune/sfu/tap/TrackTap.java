package io.tribune.sfu.tap;

import io.tribune.events.Event;
import io.tribune.events.EventData;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.sfu.pipeline.PacketInfo;
import io.tribune.sfu.rtp.RtpPacket;
import io.tribune.sfu.room.PublishedTrack;
import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.srtp.PacketBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;

/**
 * One published track's tap: picks the packets the archive needs and queues them as {@link RtpRecord}s keyed
 * {@code meetingId:trackId}, after the track's Started event and before its Ended event.
 *
 * <ul>
 *   <li>Only media packets: RTX (retransmissions and padding probes), RED and FEC payload types are not tapped,
 *       nor packets with nothing but padding.</li>
 *   <li>Simulcast: one continuous stream per track, the highest layer being received. The tap starts at a key
 *       frame of that layer and moves to another layer only at that layer's key frame (asking the publisher for
 *       one, rate limited), so each SSRC's run of records starts decodable; the records' SSRC tells the layers
 *       apart. Audio and single-layer video are tapped as they come.</li>
 * </ul>
 *
 * <p>Live captions: an audio track's Started event carries whether captions are on; a switch while the track is
 * tapped goes out in-band as a {@code media.audio_captions} event between the packets (before the Started event
 * it only changes what the Started event will say).
 *
 * <p>Threading: {@link #offer} runs on the publisher's receive pipeline thread, {@link #end} and {@link #captions}
 * on the node timer or a command thread; all under this object's lock (uncontended: one receive thread feeds a
 * track), so no packet follows the Ended event and a captions switch sits exactly between two packets.
 */
final class TrackTap {

    private final PublishedTrack track;
    private final String meetingId;
    private final String recordingId;
    private final String key;
    private final String topic;
    private final boolean video;
    private final TapQueue queue;
    private final RoomTap.Counters counters;
    private final Clock clock;
    /** Epoch microseconds minus {@link System#nanoTime()} microseconds: turns a packet's receive time into time. */
    private final long epochOffsetMicros;
    private boolean started;
    private boolean ended;
    private boolean captions;
    private int currentLayer = -1;

    TrackTap(PublishedTrack track, String meetingId, String recordingId, boolean captions, TapQueue queue,
             RoomTap.Counters counters, Clock clock) {
        this.track = track;
        this.captions = captions;
        this.meetingId = meetingId;
        this.recordingId = recordingId;
        this.key = meetingId + ":" + track.id();
        this.video = track.kind().equals("video");
        this.topic = video ? Topics.MEDIA_VIDEO : Topics.MEDIA_AUDIO;
        this.queue = queue;
        this.counters = counters;
        this.clock = clock;
        this.epochOffsetMicros = clock.millis() * 1_000 - System.nanoTime() / 1_000;
    }

    PublishedTrack track() {
        return track;
    }

    /** Receive thread: queues the packet if the archive needs it; false only when it was wanted but dropped. */
    synchronized boolean offer(PacketInfo packet) {
        if (ended || packet.payloadType() != track.payloadType()
                || track.isRetransmission(packet.ssrc(), packet.payloadType()) || !followsLayer(packet)) {
            return true;
        }
        PacketBuffer buffer = packet.buffer();
        RtpPacket rtp = RtpPacket.parse(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
        if (!rtp.isWellFormed() || rtp.payloadLength() <= 0) {
            return true;
        }
        if (!started) {
            // On the receive thread: never waits. If even the events' reserve is full, this packet is dropped and
            // the next one tries again, so no packet goes out before its track's Started event.
            if (!queue.offerEvent(topic, key, Event.of(startedEvent(packet.ssrc()), clock.instant()), counters,
                    false)) {
                return false;
            }
            started = true;
        }
        int from = rtp.payloadOffset();
        RtpRecord record = new RtpRecord(epochOffsetMicros + packet.receivedNanos() / 1_000, packet.ssrc(),
                packet.payloadType(), packet.sequenceNumber(), packet.timestamp(), rtp.marker(),
                Arrays.copyOfRange(rtp.buffer(), from, from + rtp.payloadLength()));
        return queue.offerPacket(topic, key, record, counters);
    }

    /** Whether a video packet belongs to the layer being tapped; moves to the highest active layer at its key frame. */
    private boolean followsLayer(PacketInfo packet) {
        if (!video) {
            return true;
        }
        int target = Math.max(0, track.highestActiveLayer(packet.receivedNanos()));
        if (packet.layer() == currentLayer && target == currentLayer) {
            return true;
        }
        if (packet.layer() == target && packet.keyFrame()) {
            currentLayer = target;
            return true;
        }
        if (target != currentLayer) {
            // Rate limited per layer (PublishedTrack.KEY_FRAME_REQUEST_INTERVAL_MILLIS).
            track.requestKeyFrame(target, clock.millis());
        }
        return packet.layer() == currentLayer;
    }

    /** Ends the tap: the Ended event follows the last packet (only if the Started event went out). */
    synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (started) {
            EventData event = video
                    ? new MediaEvents.VideoTrackEnded(meetingId, track.id(), clock.instant(), recordingId)
                    : new MediaEvents.AudioTrackEnded(meetingId, track.id(), clock.instant(), recordingId);
            queue.offerEvent(topic, key, Event.of(event, clock.instant()), counters, true);
        }
    }

    /**
     * Switches an audio track's captions: once its Started event went out, an in-band {@code media.audio_captions}
     * event; before that, the Started event will carry the new value. Video tracks have no captions.
     */
    synchronized void captions(boolean on) {
        if (video || ended || captions == on) {
            return;
        }
        captions = on;
        if (started) {
            queue.offerEvent(topic, key, Event.of(new MediaEvents.AudioCaptions(meetingId, track.id(), on,
                    clock.instant()), clock.instant()), counters, true);
        }
    }

    /** Whether a key frame is still awaited (video whose tap has not begun); the node timer asks for one. */
    synchronized boolean waitingForKeyFrame() {
        return video && !ended && currentLayer < 0;
    }

    private EventData startedEvent(long ssrc) {
        Codec codec = track.codec();
        String name = codec == null ? "unknown" : codec.name().toLowerCase(Locale.ROOT);
        int clockRate = codec == null ? 0 : codec.clockRate();
        String participant = track.owner().id();
        String displayName = track.owner().name();
        if (video) {
            return new MediaEvents.VideoTrackStarted(meetingId, track.id(), participant, displayName, ssrc, name,
                    clockRate, track.payloadType(), track.source().wireName(), clock.instant(), recordingId);
        }
        return new MediaEvents.AudioTrackStarted(meetingId, track.id(), participant, displayName, ssrc, name,
                clockRate, track.payloadType(), clock.instant(), recordingId, captions);
    }
}
