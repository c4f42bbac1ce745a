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

    private final String id;
    private final Rooms rooms;
    private final MediaContext media;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** Announced tracks, in the order they were announced. */
    private final List<PublishedTrack> tracks = new ArrayList<>();

    Room(String id, Rooms rooms, MediaContext media) {
        this.id = id;
        this.rooms = rooms;
        this.media = media;
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
        return others;
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
        // The others first: closing the transport (ice4j frees its agent) takes a moment.
        for (Participant other : participants.values()) {
            other.events().participantLeft(participant.id(), reason);
        }
        participant.close();
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
        if (transport.isConnected()) {
            long now = media.clock().millis();
            added.forEach(down -> down.track().requestKeyFrame(now));
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
