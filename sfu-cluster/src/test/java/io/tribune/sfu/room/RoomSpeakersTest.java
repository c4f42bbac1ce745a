package io.tribune.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.ice.IceConfig;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.sdp.WebRtcOffer;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Active speaker and last-N in a room of real participants (real transports, Chromium's offer), with audio levels
 * recorded straight into the microphones' level windows and the speaker tick driven by hand.
 */
class RoomSpeakersTest {

    private static final Set<String> EVERYTHING = Set.of("publish", "subscribe", "screenshare");
    private static ScheduledExecutorService scheduler;
    private static IceUdpPort port;
    private static MediaContext media;
    private static String offer;
    private Rooms rooms;
    private long now = 1_000_000;

    /** The events a participant's client would have been sent, as short strings. */
    static final class Recorder implements ParticipantEvents {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void participantJoined(ParticipantInfo participant) {
        }

        @Override
        public void participantLeft(String participantId, String reason) {
        }

        @Override
        public void trackPublished(TrackInfo track) {
        }

        @Override
        public void trackUnpublished(String participantId, String trackId) {
        }

        @Override
        public void trackMuted(String participantId, String trackId, boolean muted) {
        }

        @Override
        public void activeSpeaker(String participantId) {
            events.add("active_speaker " + participantId);
        }

        @Override
        public void speaking(List<Map.Entry<String, Double>> speakers) {
            events.add("speaking " + speakers.stream().map(Map.Entry::getKey).toList());
        }

        @Override
        public void trackPaused(String participantId, String trackId, boolean paused, String reason) {
            events.add((paused ? "paused " : "resumed ") + trackId + " " + reason);
        }

        @Override
        public void removed(String reason) {
        }

        List<String> only(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).toList();
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
        try (InputStream in = RoomSpeakersTest.class.getResourceAsStream("/io/tribune/sfu/sdp/chromium-offer.sdp")) {
            offer = withTwoMoreVideoSections(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Chromium's offer (mic and camera sent, one audio and one video received) with two more video receivers. */
    private static String withTwoMoreVideoSections(String sdp) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        String body = sdp.endsWith(eol) ? sdp : sdp + eol;
        String last = body.substring(body.lastIndexOf("m=video"));
        return body.replace("a=group:BUNDLE 0 1 2 3", "a=group:BUNDLE 0 1 2 3 4 5")
                + last.replace("a=mid:3", "a=mid:4") + last.replace("a=mid:3", "a=mid:5");
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

    private Participant joinAndPublish(String id, Recorder recorder) throws Exception {
        Participant participant = rooms.join("room", id, id, "participant", EVERYTHING, recorder).participant();
        participant.room().publish(participant, "0", TrackSource.MICROPHONE);
        participant.room().publish(participant, "1", TrackSource.CAMERA);
        participant.room().negotiate(participant, WebRtcOffer.parse(offer));
        return participant;
    }

    private static PublishedTrack track(Participant participant, TrackSource source) {
        return participant.publishedByMid.values().stream().filter(t -> t.source() == source).findFirst()
                .orElseThrow();
    }

    /** {@code millis} of audio: five packets per 100 ms tick at {@code level} -dBov from each speaker. */
    private void speak(Room room, int millis, int level, Participant... speakers) {
        for (int t = 0; t < millis; t += 100) {
            for (Participant speaker : speakers) {
                for (int i = 0; i < 5; i++) {
                    track(speaker, TrackSource.MICROPHONE).levels.record(level, RoomSettings.DEFAULT.speechLevel());
                }
            }
            now += 100;
            room.tickSpeakers(now);
        }
    }

    @Test
    void theDominantSpeakerIsToldToEveryoneAndToWhoeverJoinsLater() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder benEvents = new Recorder();
        Participant ann = joinAndPublish("ann", annEvents);
        joinAndPublish("ben", benEvents);
        Room room = ann.room();

        speak(room, 2_000, 127, ann);
        assertThat(benEvents.only("active_speaker")).as("silence never wins").isEmpty();
        speak(room, 1_500, 20, ann);
        assertThat(benEvents.only("active_speaker")).containsExactly("active_speaker ann");
        assertThat(annEvents.only("active_speaker")).containsExactly("active_speaker ann");
        assertThat(benEvents.only("speaking")).contains("speaking [ann]");

        Rooms.Joined cat = rooms.join("room", "cat", "cat", "participant", EVERYTHING, new Recorder());
        assertThat(cat.activeSpeaker()).isEqualTo("ann");
    }

    @Test
    void aMutedMicrophoneNeverCounts() throws Exception {
        Recorder benEvents = new Recorder();
        Participant ann = joinAndPublish("ann", new Recorder());
        joinAndPublish("ben", benEvents);
        Room room = ann.room();
        room.setMuted(ann, track(ann, TrackSource.MICROPHONE).id(), true);

        speak(room, 3_000, 10, ann);
        assertThat(benEvents.only("active_speaker")).isEmpty();
        assertThat(room.activeSpeaker()).isNull();
    }

    @Test
    void withLastNOfOneASubscriberGetsOnlyTheDominantSpeakersCamera() throws Exception {
        Participant ann = joinAndPublish("ann", new Recorder());
        Participant ben = joinAndPublish("ben", new Recorder());
        Recorder catEvents = new Recorder();
        Participant cat = joinAndPublish("cat", catEvents);
        Room room = ann.room();
        String annCamera = track(ann, TrackSource.CAMERA).id();
        String benCamera = track(ben, TrackSource.CAMERA).id();
        String annMicrophone = track(ann, TrackSource.MICROPHONE).id();
        assertThat(room.forwards(cat, annCamera)).isTrue();
        assertThat(room.forwards(cat, benCamera)).isTrue();

        // Nobody has spoken: the first to join counts as the most recent.
        room.setLastN(cat, 1);
        assertThat(catEvents.only("paused")).containsExactly("paused " + benCamera + " last_n");
        assertThat(room.forwards(cat, annCamera)).isTrue();
        assertThat(room.forwards(cat, benCamera)).isFalse();
        assertThat(room.forwards(cat, annMicrophone)).as("audio is always forwarded").isTrue();
        assertThat(room.stats().pausedStreams()).isEqualTo(1);

        // Ben speaks: his camera resumes (from a key frame, the sequence gap closed) and ann's pauses.
        PublishedTrack benTrack = track(ben, TrackSource.CAMERA);
        long keyFrameBefore = benTrack.lastKeyFrameRequestMillis();
        speak(room, 1_500, 25, ben);
        assertThat(room.activeSpeaker()).isEqualTo("ben");
        assertThat(catEvents.events).containsSubsequence("active_speaker ben", "paused " + annCamera + " last_n");
        assertThat(catEvents.only("resumed")).containsExactly("resumed " + benCamera + " last_n");
        assertThat(room.forwards(cat, benCamera)).isTrue();
        assertThat(room.forwards(cat, annCamera)).isFalse();
        assertThat(benTrack.lastKeyFrameRequestMillis()).isGreaterThan(keyFrameBefore);
        DownTrack resumed = cat.downByMid.values().stream().filter(d -> d.track() == benTrack).findFirst()
                .orElseThrow();
        assertThat(resumed.takeResync()).isTrue();

        // A pinned camera is always received, beside the last-N.
        room.setPreference(cat, annCamera, Map.of("pinned", true));
        assertThat(room.forwards(cat, annCamera)).isTrue();
        assertThat(room.forwards(cat, benCamera)).isTrue();
        room.setPreference(cat, annCamera, Map.of());
        assertThat(room.forwards(cat, annCamera)).isFalse();

        // Ben and ann do not limit themselves: they receive everything (once they offer to receive it).
        room.negotiate(ann, WebRtcOffer.parse(offer));
        room.negotiate(ben, WebRtcOffer.parse(offer));
        assertThat(room.forwards(ann, benCamera)).isTrue();
        assertThat(room.forwards(ben, annCamera)).isTrue();

        // No limit again: everything resumes.
        room.setLastN(cat, LastN.UNLIMITED);
        assertThat(room.forwards(cat, annCamera)).isTrue();
        assertThat(room.stats().pausedStreams()).isZero();
    }

    @Test
    void theNodeDefaultLastNAppliesToEverySubscriberThatDoesNotChoose() throws Exception {
        rooms = new Rooms(media, new RoomSettings(0, 50, DominantSpeakerDetector.Settings.DEFAULT,
                RoomSettings.DEFAULT_MAX_PUBLISH_KBPS));
        Participant ann = joinAndPublish("ann", new Recorder());
        Participant ben = joinAndPublish("ben", new Recorder());
        Room room = ann.room();
        assertThat(room.forwards(ben, track(ann, TrackSource.CAMERA).id())).isFalse();
        assertThat(room.forwards(ben, track(ann, TrackSource.MICROPHONE).id())).isTrue();
        room.setLastN(ben, 1);
        assertThat(room.forwards(ben, track(ann, TrackSource.CAMERA).id())).isTrue();
    }
}
