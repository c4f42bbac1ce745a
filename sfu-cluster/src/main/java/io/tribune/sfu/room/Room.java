package io.tribune.sfu.room;

import io.tribune.sfu.ice.IceCandidate;
import io.tribune.sfu.media.HeaderExtensionIds;
import io.tribune.sfu.sdp.AnswerBuilder;
import io.tribune.sfu.sdp.Codec;
import io.tribune.sfu.sdp.CodecChoice;
import io.tribune.sfu.sdp.Direction;
import io.tribune.sfu.sdp.MediaSection;
import io.tribune.sfu.sdp.OfferedMedia;
import io.tribune.sfu.sdp.WebRtcOffer;
import io.tribune.sfu.transport.CloseReason;
import io.tribune.sfu.transport.EndpointTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The participants of one meeting on this node and the tracks they publish. A room exists while someone is in
 * it ({@link Rooms} creates and removes it).
 *
 * <p>Renegotiation: each participant has one peer connection and only the browser makes offers. A published
 * track is announced to the others, whose clients add a receiving transceiver and offer again; the answer binds
 * each new receiving section to a track the participant does not receive yet. See docs/sfu-signaling.md.
 *
 * <p>Thread-safety: every method takes the room's lock; media never does (the receive and send pipelines read
 * tracks and down tracks through volatile fields and copy-on-write lists).
 */
public final class Room {

    /** Who is speaking is announced at most this often (in speaker ticks), and only when it changed. */
    private static final int SPEAKING_EVERY_TICKS = 3;

    private final String id;
    private final Rooms rooms;
    private final MediaContext media;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** Announced tracks, in the order they were announced. */
    private final List<PublishedTrack> tracks = new ArrayList<>();
    private final DominantSpeakerDetector speakers;
    /** Participant ids, most recently dominant first: the order of last-N. */
    private final List<String> recentSpeakers = new ArrayList<>();
    private List<Map.Entry<String, Double>> lastSpeaking = List.of();
    private long speakerTicks;
    private final RoomCounters counters = new RoomCounters();
    /** Traffic of the participants who left. */
    private RoomStats retired = RoomStats.EMPTY.countsOnly();

    Room(String id, Rooms rooms, MediaContext media) {
        this.id = id;
        this.rooms = rooms;
        this.media = media;
        this.speakers = new DominantSpeakerDetector(rooms.settings().speakers());
    }

    RoomSettings settings() {
        return rooms.settings();
    }

    RoomCounters counters() {
        return counters;
    }

    /** Endpoints, tracks, streams, traffic (the departed's included), feedback, loss and RTT, for metrics. */
    public synchronized RoomStats stats() {
        int published = 0;
        int streams = 0;
        int paused = 0;
        double loss = 0;
        int lossReports = 0;
        double rtt = 0;
        int rttReports = 0;
        RoomStats traffic = retired;
        for (Participant participant : participants.values()) {
            traffic = traffic.plus(participant.traffic());
            published += participant.publishedByMid.size();
            for (DownTrack down : participant.downByMid.values()) {
                streams++;
                paused += down.paused() ? 1 : 0;
                if (down.fractionLost() >= 0) {
                    loss += down.fractionLost() / 256.0;
                    lossReports++;
                }
                if (down.rttMillis() >= 0) {
                    rtt += down.rttMillis();
                    rttReports++;
                }
            }
        }
        return new RoomStats(participants.size(), published, streams, paused, traffic.packetsIn(),
                traffic.bytesIn(), traffic.packetsOut(), traffic.bytesOut(), counters.nacksReceived.sum(),
                counters.nacksSent.sum(), counters.keyFrameRequestsReceived.sum(), counters.plisSent.sum(),
                lossReports == 0 ? -1 : loss / lossReports, rttReports == 0 ? -1 : rtt / rttReports);
    }

    public String id() {
        return id;
    }

    /** Adds a participant (replacing one with the same id) and tells the others; returns the others. */
    synchronized List<ParticipantInfo> join(Participant participant) {
        Participant previous = participants.get(participant.id());
        if (previous != null) {
            leaveLocked(previous, "replaced");
            previous.events().removed("replaced");
        }
        List<ParticipantInfo> others = new ArrayList<>();
        for (Participant other : participants.values()) {
            others.add(other.info());
            other.events().participantJoined(participant.info());
        }
        participants.put(participant.id(), participant);
        applyLastNLocked();
        return others;
    }

    /** The dominant speaker, or null before anyone spoke (or after the last one left). */
    public synchronized String activeSpeaker() {
        return speakers.dominant();
    }

    /** Removes a participant and tells the others; returns whether the room is now empty. */
    synchronized boolean leave(Participant participant, String reason) {
        leaveLocked(participant, reason);
        return participants.isEmpty();
    }

    private void leaveLocked(Participant participant, String reason) {
        if (participants.get(participant.id()) != participant) {
            return;
        }
        participants.remove(participant.id());
        for (PublishedTrack track : List.copyOf(participant.publishedByMid.values())) {
            unpublishLocked(track, false);
        }
        for (DownTrack down : List.copyOf(participant.downByMid.values())) {
            participant.removeDownTrack(down);
        }
        speakers.remove(participant.id());
        recentSpeakers.remove(participant.id());
        retired = retired.plus(participant.traffic());
        // The others first: closing the transport (ice4j frees its agent) takes a moment.
        for (Participant other : participants.values()) {
            other.events().participantLeft(participant.id(), reason);
        }
        participant.close();
        applyLastNLocked();
    }

    synchronized boolean contains(Participant participant) {
        return participants.get(participant.id()) == participant;
    }

    synchronized int size() {
        return participants.size();
    }

    public synchronized List<Participant> participants() {
        return List.copyOf(participants.values());
    }

    /** The published tracks the others were told about, in that order (the stage, for the RTP egress). */
    public synchronized List<PublishedTrack> announcedTracks() {
        return List.copyOf(tracks);
    }

    /**
     * Declares that the section {@code mid} of the participant's next offer publishes a track of this source.
     *
     * @return the new track's id
     */
    public synchronized String publish(Participant participant, String mid, TrackSource source)
            throws RoomException {
        String needed = source == TrackSource.SCREEN ? "screenshare" : "publish";
        if (!participant.may(needed)) {
            throw new RoomException("forbidden", "your join token does not allow " + needed);
        }
        if (participant.publishedByMid.containsKey(mid) || participant.downByMid.containsKey(mid)
                || participant.retiredMids.contains(mid)) {
            throw new RoomException("bad_request", "mid " + mid + " is already in use");
        }
        if (participant.publishedByMid.size() >= Limits.MAX_PUBLISHED_TRACKS) {
            throw new RoomException("bad_request", "at most " + Limits.MAX_PUBLISHED_TRACKS + " published tracks");
        }
        String trackId = source.wireName() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        participant.publishedByMid.put(mid, new PublishedTrack(trackId, participant, source, mid));
        return trackId;
    }

    public synchronized void unpublish(Participant participant, String trackId) throws RoomException {
        unpublishLocked(ownTrack(participant, trackId), true);
    }

    private void unpublishLocked(PublishedTrack track, boolean notify) {
        Participant owner = track.owner();
        tracks.remove(track);
        owner.publishedByMid.remove(track.mid(), track);
        owner.retiredMids.add(track.mid());
        owner.unindexTrack(track);
        for (DownTrack down : List.copyOf(track.downTracks())) {
            down.subscriber().removeDownTrack(down);
        }
        if (notify && track.announced()) {
            for (Participant other : participants.values()) {
                if (other != owner) {
                    other.events().trackUnpublished(owner.id(), track.id());
                }
            }
        }
    }

    /**
     * Mutes or unmutes a track: the SFU stops forwarding it and tells everyone else. The owner may do both; a
     * participant with {@code moderate} may mute others' tracks but never unmute them.
     */
    public synchronized void setMuted(Participant actor, String trackId, boolean muted) throws RoomException {
        PublishedTrack track = findTrack(trackId);
        if (track == null) {
            throw new RoomException("unknown_track", "no track " + trackId);
        }
        boolean own = track.owner() == actor;
        if (!own && !(muted && actor.may("moderate"))) {
            throw new RoomException("forbidden", "not your track");
        }
        if (track.muted() == muted) {
            return;
        }
        track.setMuted(muted);
        if (muted && track.levels != null) {
            speakers.silence(track.owner().id());
        }
        if (!muted) {
            for (DownTrack down : track.downTracks()) {
                down.requestResync();
            }
            track.requestKeyFrame(media.clock().millis());
        }
        if (track.announced()) {
            for (Participant other : participants.values()) {
                if (other != actor) {
                    other.events().trackMuted(track.owner().id(), track.id(), muted);
                }
            }
        }
    }

    /**
     * A host's mute that arrived from outside the room (the api-server's control channel): every track of
     * {@code kind} ({@code audio} or {@code video}) the participant publishes stops being forwarded, and everyone,
     * the participant included, hears {@code track_muted}. The participant may unmute again (as in every meeting
     * product: a host asks, the person decides), but hears the request through the meeting channel.
     *
     * @return how many tracks were muted
     */
    public synchronized int muteByHost(String participantId, String kind) {
        Participant target = participants.get(participantId);
        if (target == null) {
            return 0;
        }
        int muted = 0;
        for (PublishedTrack track : List.copyOf(target.publishedByMid.values())) {
            if (!track.kind().equals(kind) || track.muted()) {
                continue;
            }
            track.setMuted(true);
            if (track.levels != null) {
                speakers.silence(target.id());
            }
            muted++;
            if (track.announced()) {
                for (Participant participant : participants.values()) {
                    participant.events().trackMuted(target.id(), track.id(), true);
                }
            }
        }
        return muted;
    }

    /**
     * Stores a subscriber's wishes for a track (maximum size, highest layer); the subscriber's send loop applies
     * them at its next layer choice (within half a second).
     */
    public synchronized void setPreference(Participant participant, String trackId, Map<String, Object> preference)
            throws RoomException {
        if (findTrack(trackId) == null) {
            throw new RoomException("unknown_track", "no track " + trackId);
        }
        if (participant.preferences.size() >= Limits.MAX_PREFERENCES
                && !participant.preferences.containsKey(trackId)) {
            throw new RoomException("bad_request", "too many preferences");
        }
        participant.preferences.put(trackId, Map.copyOf(preference));
        for (DownTrack down : participant.downByMid.values()) {
            if (down.track().id().equals(trackId)) {
                down.setPreference(DownTrack.Preference.from(preference));
            }
        }
        applyLastNLocked();
    }

    /**
     * Sets how many of the most recent dominant speakers' cameras the participant receives ({@code -1}: all;
     * null: the node's default). Tracks that leave or enter its last-N are paused or resumed at once.
     */
    public synchronized void setLastN(Participant participant, Integer lastN) {
        if (lastN != null && lastN < LastN.UNLIMITED) {
            throw new IllegalArgumentException("lastN must be -1 or more");
        }
        participant.lastN = lastN;
        applyLastNLocked();
    }

    /**
     * One speaker detection tick (the node's timer, every {@link DominantSpeakerDetector.Settings#tickMillis()}):
     * drains each microphone's audio levels into the detector. A new dominant speaker is announced to everyone
     * ({@code active_speaker}) and moves to the front of last-N; who is speaking is announced when it changes.
     */
    synchronized void tickSpeakers(long nowMillis) {
        Map<String, DominantSpeakerDetector.Activity> activity = new LinkedHashMap<>();
        for (Participant participant : participants.values()) {
            for (PublishedTrack track : participant.publishedByMid.values()) {
                if (track.levels != null) {
                    DominantSpeakerDetector.Activity drained = track.levels.drain();
                    if (!track.muted()) {
                        activity.put(participant.id(), drained);
                    }
                }
            }
        }
        speakers.tick(activity, nowMillis).ifPresent(dominant -> {
            recentSpeakers.remove(dominant);
            recentSpeakers.add(0, dominant);
            for (Participant participant : participants.values()) {
                participant.events().activeSpeaker(dominant);
            }
            applyLastNLocked();
        });
        if (++speakerTicks % SPEAKING_EVERY_TICKS == 0) {
            List<Map.Entry<String, Double>> speaking = speakers.speaking();
            if (!speaking.equals(lastSpeaking)) {
                lastSpeaking = speaking;
                for (Participant participant : participants.values()) {
                    participant.events().speaking(speaking);
                }
            }
        }
    }

    /**
     * Pauses the cameras each subscriber should not receive under its last-N and resumes those it should again
     * (with a key frame request, and the sequence gap closed). Each change is told to that subscriber.
     */
    private void applyLastNLocked() {
        List<String> ranking = LastN.ranking(recentSpeakers, participants.keySet());
        long now = media.clock().millis();
        for (Participant subscriber : participants.values()) {
            int n = subscriber.lastN != null ? subscriber.lastN : rooms.settings().lastN();
            Set<String> chosen = LastN.chosen(subscriber.id(), ranking, n);
            for (DownTrack down : subscriber.downByMid.values()) {
                PublishedTrack track = down.track();
                boolean forward = LastN.forwards(track.source(), track.owner().id(), subscriber.pinned(track.id()),
                        chosen);
                if (forward != down.paused()) {
                    continue;
                }
                down.setPaused(!forward);
                if (forward) {
                    down.requestResync();
                    track.requestKeyFrame(now);
                }
                subscriber.events().trackPaused(track.owner().id(), track.id(), !forward, "last_n");
            }
        }
    }

    /** For tests and metrics: whether {@code subscriber} receives the track now (bound and not paused). */
    synchronized boolean forwards(Participant subscriber, String trackId) {
        for (DownTrack down : subscriber.downByMid.values()) {
            if (down.track().id().equals(trackId)) {
                return !down.paused();
            }
        }
        return false;
    }

    public synchronized void addRemoteCandidate(Participant participant, IceCandidate candidate) {
        participant.addRemoteCandidate(candidate);
    }

    /**
     * Answers a participant's offer: its sending sections that it declared with {@link #publish} are received,
     * its receiving sections are bound to tracks it does not receive yet (or keep the track they carry), the rest
     * is rejected. A new ICE ufrag in the offer restarts ICE (RFC 8445 §9). Newly published tracks are announced
     * to the others.
     */
    public synchronized Negotiated negotiate(Participant participant, WebRtcOffer offer)
            throws RoomException, IOException {
        if (participant.isClosed() || participants.get(participant.id()) != participant) {
            throw new RoomException("not_joined", "not in the room");
        }
        boolean startIce = false;
        if (participant.transport() == null) {
            participant.createTransport();
            startIce = true;
        } else if (!offer.transport().iceUfrag().equals(participant.remoteUfrag)) {
            participant.transport().restartIce();
            startIce = true;
        }
        EndpointTransport transport = participant.transport();
        AnswerBuilder answer = new AnswerBuilder(offer, transport.localTransport(), participant.sessionId())
                .receiveHeaderExtensions(HeaderExtensionIds.SUPPORTED)
                .sendHeaderExtensions(HeaderExtensionIds.SENT);
        participant.setExtensionIds(HeaderExtensionIds.from(offer.description()));
        Map<String, TrackInfo> subscriptions = new LinkedHashMap<>();
        List<PublishedTrack> announced = new ArrayList<>();
        List<DownTrack> added = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            OfferedMedia offered = offer.media().get(i);
            MediaSection section = offer.description().media().get(i);
            String mid = offered.mid();
            PublishedTrack published = participant.publishedByMid.get(mid);
            DownTrack down = participant.downByMid.get(mid);
            boolean active = offered.direction() != Direction.INACTIVE
                    && (section.port() != 0 || section.hasAttribute("bundle-only"));
            if (!active) {
                if (published != null) {
                    unpublishLocked(published, true);
                }
                if (down != null) {
                    participant.removeDownTrack(down);
                }
                continue;
            }
            if (offered.direction().sends()) {
                Optional<Codec> codec = CodecChoice.forPublishing(offered);
                if (published != null && published.kind().equals(offered.kind()) && codec.isPresent()) {
                    published.updateFrom(offered);
                    participant.indexTrack(published);
                    answer.receive(mid, published.codec());
                    if (!published.announced()) {
                        published.setAnnounced();
                        tracks.add(published);
                        announced.add(published);
                    }
                }
            } else if (offered.direction() == Direction.RECVONLY && participant.may("subscribe")) {
                if (down == null && !participant.retiredMids.contains(mid)) {
                    PublishedTrack next = nextUnreceived(participant, offered.kind());
                    if (next != null) {
                        down = participant.addDownTrack(next, mid);
                        down.setPreference(DownTrack.Preference.from(participant.preferences.get(next.id())));
                        added.add(down);
                    }
                }
                if (down != null) {
                    down.updateFrom(offered);
                    if (down.payloadType() < 0) {
                        participant.removeDownTrack(down);
                        continue;
                    }
                    answer.send(mid, down.sendStream(), down.codec());
                    subscriptions.put(mid, down.track().info());
                }
            }
        }
        String sdp = answer.build().toString();
        if (startIce) {
            transport.start(offer.transport());
            participant.remoteUfrag = offer.transport().iceUfrag();
            participant.flushEarlyCandidates();
        }
        for (PublishedTrack track : announced) {
            for (Participant other : participants.values()) {
                if (other != participant) {
                    other.events().trackPublished(track.info());
                }
            }
        }
        applyLastNLocked();
        if (transport.isConnected()) {
            long now = media.clock().millis();
            added.stream().filter(down -> !down.paused()).forEach(down -> down.track().requestKeyFrame(now));
        }
        return new Negotiated(sdp, subscriptions);
    }

    private PublishedTrack nextUnreceived(Participant participant, String kind) {
        for (PublishedTrack track : tracks) {
            if (track.owner() != participant && track.kind().equals(kind) && !participant.subscribesTo(track)) {
                return track;
            }
        }
        return null;
    }

    private PublishedTrack findTrack(String trackId) {
        for (Participant participant : participants.values()) {
            for (PublishedTrack track : participant.publishedByMid.values()) {
                if (track.id().equals(trackId)) {
                    return track;
                }
            }
        }
        return null;
    }

    private PublishedTrack ownTrack(Participant participant, String trackId) throws RoomException {
        for (PublishedTrack track : participant.publishedByMid.values()) {
            if (track.id().equals(trackId)) {
                return track;
            }
        }
        throw new RoomException("unknown_track", "you publish no track " + trackId);
    }

    /** A subscriber's transport connected: every track it receives needs a key frame to start decoding. */
    synchronized void requestKeyFramesFor(Participant subscriber) {
        long now = media.clock().millis();
        for (DownTrack down : subscriber.downByMid.values()) {
            down.track().requestKeyFrame(now);
        }
    }

    /** The participant's media died (consent expired, ICE or DTLS failed): it leaves, and its client is told. */
    void mediaFailed(Participant participant, CloseReason reason) {
        rooms.leave(participant, "media_failed");
        participant.events().removed("media_failed: " + reason.name().toLowerCase(Locale.ROOT));
    }
}
