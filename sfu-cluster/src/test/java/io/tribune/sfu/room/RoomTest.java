package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.sfu.app.HostControls;
import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceConfig;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.sdp.MediaSection;
import io.tribune.sfu.sdp.SessionDescription;
import io.tribune.sfu.sdp.WebRtcOffer;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The answers a room gives, with Chromium's offer (mid 0 audio and mid 1 video sending, mid 2 audio and mid 3 video
 * receiving) from several participants; real transports on a loopback port, no media.
 */
class RoomTest {

    private static final Set<String> EVERYTHING = Set.of("publish", "subscribe", "screenshare");
    private static ScheduledExecutorService scheduler;
    private static IceUdpPort port;
    private static MediaContext media;
    private static String offer;
    private Rooms rooms;

    /** What a participant's client would have been sent. */
    static final class Recorder implements ParticipantEvents {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void participantJoined(ParticipantInfo participant) {
            events.add("joined " + participant.participantId());
        }

        @Override
        public void participantLeft(String participantId, String reason) {
            events.add("left " + participantId + " " + reason);
        }

        @Override
        public void trackPublished(TrackInfo track) {
            events.add("published " + track.trackId());
        }

        @Override
        public void trackUnpublished(String participantId, String trackId) {
            events.add("unpublished " + trackId);
        }

        @Override
        public void trackMuted(String participantId, String trackId, boolean muted) {
            events.add((muted ? "muted " : "unmuted ") + trackId);
        }

        @Override
        public void removed(String reason) {
            events.add("removed " + reason);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        int mediaPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            mediaPort = probe.getLocalPort();
        }
        port = new IceUdpPort(new IceConfig(List.of(InetAddress.getLoopbackAddress()), mediaPort, Optional.empty(),
                true, IceConfig.DEFAULT_CONSENT_TIMEOUT));
        media = new MediaContext(port, DtlsCertificate.generate(Clock.systemUTC()), scheduler, Clock.systemUTC(),
                64, 64, 0);
        try (InputStream in = RoomTest.class.getResourceAsStream("/io/tribune/sfu/sdp/chromium-offer.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        port.close();
        scheduler.shutdownNow();
    }

    @BeforeEach
    void newRooms() {
        rooms = new Rooms(media);
    }

    private Participant join(String id, Set<String> permissions, Recorder recorder) {
        return rooms.join("room", id, id, "participant", permissions, recorder).participant();
    }

    private static SessionDescription answer(Negotiated negotiated) throws Exception {
        return SessionDescription.parse(negotiated.answer());
    }

    private static Negotiated negotiate(Participant participant, String sdp) throws Exception {
        return participant.room().negotiate(participant, WebRtcOffer.parse(sdp));
    }

    private static void publishCameraAndMicrophone(Participant participant) throws RoomException {
        participant.room().publish(participant, "0", TrackSource.MICROPHONE);
        participant.room().publish(participant, "1", TrackSource.CAMERA);
    }

    @Test
    void receivesDeclaredTracksAndBindsReceivingSectionsToTheOthersTracksInOrder() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder benEvents = new Recorder();
        Participant ann = join("ann", EVERYTHING, annEvents);
        Participant ben = join("ben", EVERYTHING, benEvents);

        publishCameraAndMicrophone(ann);
        Negotiated annFirst = negotiate(ann, offer);
        List<MediaSection> sections = answer(annFirst).media();
        assertThat(sections.get(0).port()).isPositive();
        assertThat(sections.get(0).hasAttribute("recvonly")).isTrue();
        assertThat(sections.get(0).attributes("extmap")).anyMatch(e -> e.contains("ssrc-audio-level"));
        assertThat(sections.get(1).attributes("rtpmap")).anyMatch(r -> r.startsWith("96 VP8"))
                .noneMatch(r -> r.contains("VP9"));
        // Nothing to receive yet: the receiving sections are rejected.
        assertThat(sections.get(2).port()).isZero();
        assertThat(sections.get(3).port()).isZero();
        assertThat(annFirst.subscriptions()).isEmpty();
        assertThat(benEvents.events).containsExactly("published " + ann.publishedByMid.get("0").id(),
                "published " + ann.publishedByMid.get("1").id());

        publishCameraAndMicrophone(ben);
        Negotiated benFirst = negotiate(ben, offer);
        assertThat(benFirst.subscriptions().get("2").trackId()).isEqualTo(ann.publishedByMid.get("0").id());
        assertThat(benFirst.subscriptions().get("3").trackId()).isEqualTo(ann.publishedByMid.get("1").id());
        MediaSection video = answer(benFirst).media().get(3);
        assertThat(video.hasAttribute("sendonly")).isTrue();
        assertThat(video.attribute("msid")).contains("ann " + ann.publishedByMid.get("1").id());
        assertThat(video.attributes("ssrc-group")).hasSize(1);
        // A second offer keeps the bindings.
        assertThat(negotiate(ben, offer).subscriptions()).isEqualTo(benFirst.subscriptions());
    }

    @Nested
    class WhenTheApiServerSendsHostControls {

        private static final String CHANNEL = "tribune:meeting:{room}:sfu-control";

        @Test
        void aMuteStopsTheParticipantsTracksOfThatKindAndTellsEveryone() throws Exception {
            Recorder annEvents = new Recorder();
            Recorder benEvents = new Recorder();
            Participant ann = join("ann", EVERYTHING, annEvents);
            join("ben", EVERYTHING, benEvents);
            publishCameraAndMicrophone(ann);
            negotiate(ann, offer);
            HostControls controls = new HostControls("redis://unused", rooms);

            controls.apply(CHANNEL, "{\"action\":\"mute\",\"participant_id\":\"ann\",\"kind\":\"audio\"}");

            String microphone = ann.publishedByMid.get("0").id();
            assertThat(ann.publishedByMid.get("0").muted()).isTrue();
            assertThat(ann.publishedByMid.get("1").muted()).isFalse();
            assertThat(benEvents.events).contains("muted " + microphone);
            assertThat(annEvents.events).contains("muted " + microphone);
            assertThat(controls.applied()).isEqualTo(1);
        }

        @Test
        void aRemovalTakesTheParticipantOutAndAnEndTakesEveryoneOut() {
            Recorder annEvents = new Recorder();
            Recorder benEvents = new Recorder();
            join("ann", EVERYTHING, annEvents);
            join("ben", EVERYTHING, benEvents);
            join("cat", EVERYTHING, new Recorder());
            HostControls controls = new HostControls("redis://unused", rooms);

            controls.apply(CHANNEL, "{\"action\":\"remove\",\"participant_id\":\"ben\"}");
            assertThat(benEvents.events).contains("removed removed_by_host");
            assertThat(annEvents.events).contains("left ben removed_by_host");
            assertThat(rooms.participantCount()).isEqualTo(2);

            controls.apply(CHANNEL, "{\"action\":\"end\"}");
            assertThat(annEvents.events).contains("removed meeting_ended");
            assertThat(rooms.roomCount()).isZero();
        }

        @Test
        void dropsMalformedCommandsAndIgnoresUnknownRooms() {
            join("ann", EVERYTHING, new Recorder());
            HostControls controls = new HostControls("redis://unused", rooms);
            controls.apply(CHANNEL, "not json");
            controls.apply(CHANNEL, "{\"action\":\"mute\",\"participant_id\":\"ann\",\"kind\":\"smell\"}");
            controls.apply(CHANNEL, "{\"action\":\"teleport\"}");
            controls.apply("garbage", "{\"action\":\"end\"}");
            controls.apply("tribune:meeting:{other}:sfu-control", "{\"action\":\"end\"}");
            assertThat(controls.dropped()).isEqualTo(4);
            assertThat(rooms.participantCount()).isEqualTo(1);
        }
    }

    @Test
    void rejectsSendingSectionsThatWereNotDeclaredAndDoesNotAnnounceThem() throws Exception {
        Recorder annEvents = new Recorder();
        join("ann", EVERYTHING, annEvents);
        Participant ben = join("ben", EVERYTHING, new Recorder());
        List<MediaSection> sections = answer(negotiate(ben, offer)).media();
        assertThat(sections.get(0).port()).isZero();
        assertThat(sections.get(1).port()).isZero();
        assertThat(annEvents.events).containsExactly("joined ben");
    }

    @Test
    void withoutSubscribePermissionNothingIsBound() throws Exception {
        Participant ann = join("ann", EVERYTHING, new Recorder());
        publishCameraAndMicrophone(ann);
        negotiate(ann, offer);
        Participant ben = join("ben", Set.of("publish"), new Recorder());
        assertThat(negotiate(ben, offer).subscriptions()).isEmpty();
    }

    @Test
    void permissionsDecideWhoMayPublishWhat() {
        Participant attendee = join("ann", Set.of("subscribe"), new Recorder());
        assertThatThrownBy(() -> attendee.room().publish(attendee, "0", TrackSource.MICROPHONE))
                .isInstanceOf(RoomException.class).hasMessageContaining("publish");
        Participant guest = join("ben", Set.of("publish", "subscribe"), new Recorder());
        assertThatThrownBy(() -> guest.room().publish(guest, "2", TrackSource.SCREEN))
                .isInstanceOf(RoomException.class).hasMessageContaining("screenshare");
    }

    @Test
    void anUnpublishedTracksSectionIsNeverBoundAgain() throws Exception {
        Participant ann = join("ann", EVERYTHING, new Recorder());
        Recorder benEvents = new Recorder();
        Participant ben = join("ben", EVERYTHING, benEvents);
        publishCameraAndMicrophone(ann);
        negotiate(ann, offer);
        negotiate(ben, offer);
        String camera = ann.publishedByMid.get("1").id();

        ann.room().unpublish(ann, camera);

        assertThat(benEvents.events).contains("unpublished " + camera);
        Negotiated again = negotiate(ben, offer);
        assertThat(again.subscriptions()).containsOnlyKeys("2");
        assertThat(answer(again).media().get(3).port()).isZero();
    }

    @Test
    void mutingIsTheOwnersOrAModeratorsAndOnlyTheOwnerUnmutes() throws Exception {
        Participant ann = join("ann", EVERYTHING, new Recorder());
        Recorder benEvents = new Recorder();
        Participant ben = join("ben", EVERYTHING, benEvents);
        Participant host = join("host", Set.of("publish", "subscribe", "moderate"), new Recorder());
        publishCameraAndMicrophone(ann);
        negotiate(ann, offer);
        String microphone = ann.publishedByMid.get("0").id();

        assertThatThrownBy(() -> ben.room().setMuted(ben, microphone, true)).isInstanceOf(RoomException.class);
        host.room().setMuted(host, microphone, true);
        assertThat(benEvents.events).contains("muted " + microphone);
        assertThatThrownBy(() -> host.room().setMuted(host, microphone, false)).isInstanceOf(RoomException.class);
        ann.room().setMuted(ann, microphone, false);
        assertThat(benEvents.events).contains("unmuted " + microphone);
    }

    @Test
    void aNewUfragRestartsIceWithNewCredentials() throws Exception {
        Participant ann = join("ann", EVERYTHING, new Recorder());
        publishCameraAndMicrophone(ann);
        String first = answer(negotiate(ann, offer)).media().get(0).attribute("ice-ufrag").orElseThrow();
        String same = answer(negotiate(ann, offer)).media().get(0).attribute("ice-ufrag").orElseThrow();
        String restarted = answer(negotiate(ann, offer.replace("a=ice-ufrag:VXo5", "a=ice-ufrag:Rst1")))
                .media().get(0).attribute("ice-ufrag").orElseThrow();
        assertThat(same).isEqualTo(first);
        assertThat(restarted).isNotEqualTo(first);
    }

    @Test
    void leavingTellsTheOthersAndTheLastOneClosesTheRoom() throws Exception {
        Recorder annEvents = new Recorder();
        Participant ann = join("ann", EVERYTHING, annEvents);
        Participant ben = join("ben", EVERYTHING, new Recorder());
        negotiate(ben, offer);
        rooms.leave(ben, "left");
        assertThat(annEvents.events).containsExactly("joined ben", "left ben left");
        assertThat(rooms.room("room")).isPresent();
        rooms.leave(ann, "left");
        assertThat(rooms.room("room")).isEmpty();
        assertThat(rooms.roomCount()).isZero();
    }

    @Test
    void joiningAgainReplacesTheOldConnection() {
        Recorder first = new Recorder();
        Recorder other = new Recorder();
        join("ann", EVERYTHING, first);
        join("ben", EVERYTHING, other);
        join("ann", EVERYTHING, new Recorder());
        assertThat(first.events).contains("removed replaced");
        assertThat(other.events).contains("left ann replaced", "joined ann");
        assertThat(rooms.participantCount()).isEqualTo(2);
    }
}
