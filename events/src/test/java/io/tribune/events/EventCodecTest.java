package io.tribune.events;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-26T09:30:00.123Z");
    private static final Instant T1 = Instant.parse("2026-11-26T10:30:00Z");

    /** One realistic sample of every registered payload. */
    static List<EventData> samples() {
        List<MeetingEvents.Invitee> invitees = List.of(
                new MeetingEvents.Invitee("u-2", null, "participant"),
                new MeetingEvents.Invitee(null, "guest@example.org", "participant"));
        return List.of(
                new UserEvents.Registered("u-1", "ada", "ada@example.org"),
                new UserEvents.Updated("u-1", "ada l.", "ada@example.org"),
                new UserEvents.Deleted("u-1"),
                new UserEvents.RoleChanged("u-1", "host", "u-admin"),
                new UserEvents.Disabled("u-1", true, "u-admin"),
                new UserEvents.VerificationRequested("u-1", "ada@example.org", "link-1"),
                new UserEvents.PasswordResetRequested("u-1", "ada@example.org", "link-2"),
                new MeetingEvents.Scheduled("m-1", "u-1", "Team sync", "meeting", T0, T1, "Europe/Berlin",
                        "FREQ=WEEKLY;BYDAY=TU;COUNT=10", invitees, 0),
                new MeetingEvents.Updated("m-1", "u-1", "Team sync (moved)", "meeting", T0, T1, "Europe/Berlin",
                        null, invitees, 1, T0),
                new MeetingEvents.Cancelled("m-1", "u-1", "Team sync", invitees, 2, null),
                new MeetingEvents.Started("m-1", "room-1", T0),
                new MeetingEvents.Ended("m-1", "room-1", T1, "u-1"),
                new MeetingEvents.BroadcastStarted("m-1", "https://cdn.example/hls/m-1/master.m3u8", T1, "u-1"),
                new MeetingEvents.BroadcastStopped("m-1", T1, "u-1"),
                new ParticipantEvents.Joined("m-1", "p-1", null, "Guest Grace", "guest", T0),
                new ParticipantEvents.Left("m-1", "p-1", "removed", T1),
                new ParticipantEvents.RoleChanged("m-1", "p-1", "co_host", "u-1"),
                new RecordingEvents.Started("m-1", "r-1", "u-1", T0),
                new RecordingEvents.Stopped("m-1", "r-1", "u-1", T1),
                new RecordingEvents.Ready("m-1", "r-1", List.of(new RecordingEvents.StoredFile("composed", null,
                        "recordings/r-1/composed.mp4", "video/mp4", 1_234_567L, "ab12"),
                        new RecordingEvents.StoredFile("track", "t-1", "recordings/r-1/tracks/t-1.webm", "audio/webm",
                                4_567L, "cd34", T0.plusNanos(1_234_000))), 3_600_000L, 1_234_567L, "ab12"),
                new RecordingEvents.Failed("m-1", "r-1", "no media received"),
                new RecordingEvents.Deleted("m-1", "r-1", List.of("recordings/r-1/view/recording.mp4"),
                        "recordings/r-1/", RecordingEvents.Deleted.REASON_RETENTION, T1),
                new MediaEvents.AudioTrackStarted("m-1", "t-1", "p-1", "Ada", 0xFFFF_FFFFL, "opus", 48_000, 111,
                        T0, "r-1", true),
                new MediaEvents.AudioTrackEnded("m-1", "t-1", T1, "r-1"),
                new MediaEvents.AudioCaptions("m-1", "t-1", false, T1),
                new MediaEvents.VideoTrackStarted("m-1", "t-2", "p-1", "Ada", 12345L, "vp8", 90_000, 96, "screen",
                        T0, null),
                new MediaEvents.VideoTrackEnded("m-1", "t-2", T1, null),
                new CaptionEvents.Caption("m-1", "p-1", "Ada", "t-1", "ph-1", "hello everyone <b>", true, 0, 1500, T0, T1),
                new CaptionEvents.TranscriptReady("m-1", "r-1", "transcripts/m-1.json", 42, "en"),
                new CaptionEvents.TranscriptFailed("m-1", "r-1", "recordings/r-1/t-1.webm: no such object"),
                new TranscriptionEvents.Requested("m-1", "r-1", "u-1", List.of(new TranscriptionEvents.AudioFile(
                        "recordings/r-1/t-1.webm", "t-1", "p-1", "Ada", T0)), T1),
                new NotificationEvents.Requested("n-1", "u-1", "ada@example.org", "email", "meeting_invite",
                        Map.of("meeting_id", "m-1", "title", "Team \"sync\" ünïcode")),
                new NotificationEvents.PreferencesChanged("u-1", "ada@example.org", List.of("reminders"), 15),
                new NotificationEvents.PushSubscriptionExpired("n-1", "u-1", "https://push.example/send/abc", 410),
                new NotificationEvents.ReminderDue("m-1", "Weekly sync", T1, "Europe/Paris", "u-1",
                        "ada@example.org"));
    }

    @Test
    void everyRegisteredTypeHasASample() {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> registered = EventTypes.all().stream().map(EventTypes.Descriptor::dataClass)
                .collect(Collectors.toSet());
        assertThat(sampled).isEqualTo(registered);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughJson(EventData data) {
        Event event = Event.of(data, T0);

        Event decoded = EventCodec.decode(EventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.topic()).isEqualTo(EventTypes.of(data.getClass()).topic());
        assertThat(Topics.all()).contains(decoded.topic());
        assertThat(decoded.key()).isNotBlank();
    }

    @Test
    void writesTheDocumentedEnvelope() throws Exception {
        Event event = Event.of(new UserEvents.Deleted("u-9"), T0);

        var tree = EventCodec.mapper().readTree(EventCodec.encode(event));

        assertThat(tree.get("id").asText()).isEqualTo(event.id().toString());
        assertThat(tree.get("type").asText()).isEqualTo("user.deleted");
        assertThat(tree.get("version").asInt()).isEqualTo(1);
        assertThat(tree.get("time").asText()).isEqualTo("2026-11-26T09:30:00.123Z");
        assertThat(tree.get("data").get("userId").asText()).isEqualTo("u-9");
    }

    @Test
    void mediaEventsAreKeyedByMeetingAndTrack() {
        assertThat(new MediaEvents.VideoTrackEnded("m-1", "t-2", T1, null).key()).isEqualTo("m-1:t-2");
    }

    @Test
    void readsAnAudioTrackStartedWithoutTheCaptionsFieldAsCaptionsOff() {
        String json = "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"media.audio_track_started\","
                + "\"version\":1,\"time\":\"2026-11-26T09:30:00Z\",\"data\":{\"meetingId\":\"m-1\",\"trackId\":\"t-1\","
                + "\"participantId\":\"p-1\",\"displayName\":\"Ada\",\"ssrc\":7,\"codec\":\"opus\",\"clockRate\":48000,"
                + "\"payloadType\":111,\"startedAt\":\"2026-11-26T09:30:00Z\",\"recordingId\":\"r-1\"}}";

        Event event = EventCodec.decode(json);

        assertThat(event.data()).isEqualTo(new MediaEvents.AudioTrackStarted("m-1", "t-1", "p-1", "Ada", 7, "opus",
                48_000, 111, Instant.parse("2026-11-26T09:30:00Z"), "r-1", false));
        assertThat(new MediaEvents.AudioCaptions("m-1", "t-1", true, T0).key()).isEqualTo("m-1:t-1");
    }

    @Test
    void readsARecordingReadyFromBeforeTrackStartTimesWithoutThem() {
        String json = "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"recording.ready\","
                + "\"version\":1,\"time\":\"2026-11-26T09:30:00Z\",\"data\":{\"meetingId\":\"m-1\","
                + "\"recordingId\":\"r-1\",\"files\":[{\"kind\":\"track\",\"trackId\":\"t-1\","
                + "\"objectKey\":\"recordings/r-1/tracks/t-1.webm\",\"contentType\":\"audio/webm\","
                + "\"sizeBytes\":4567,\"sha256\":\"cd34\"}],\"durationMillis\":1000,\"sizeBytes\":4567,"
                + "\"sha256\":null}}";

        Event event = EventCodec.decode(json);

        assertThat(event.data()).isEqualTo(new RecordingEvents.Ready("m-1", "r-1", List.of(
                new RecordingEvents.StoredFile("track", "t-1", "recordings/r-1/tracks/t-1.webm", "audio/webm", 4567,
                        "cd34", null)), 1000, 4567, null));
    }

    @Test
    void ignoresUnknownPayloadFieldsFromNewerProducers() {
        String json = "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"user.deleted\",\"version\":1,"
                + "\"time\":\"2026-11-26T09:30:00Z\",\"data\":{\"userId\":\"u-1\",\"addedLater\":true}}";

        Event event = EventCodec.decode(json);

        assertThat(event.data()).isEqualTo(new UserEvents.Deleted("u-1"));
    }

    @Nested
    class WhenTheRecordIsNotAValidEvent {

        @ParameterizedTest
        @ValueSource(strings = {
                "",
                "not json",
                "[1,2]",
                "{}",
                "{\"id\":\"x\",\"type\":\"user.deleted\",\"version\":1,\"time\":\"2026-11-26T09:30:00Z\",\"data\":{}}",
                "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"user.deleted\",\"version\":99,"
                        + "\"time\":\"2026-11-26T09:30:00Z\",\"data\":{\"userId\":\"u\"}}",
                "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"no.such\",\"version\":1,"
                        + "\"time\":\"2026-11-26T09:30:00Z\",\"data\":{}}",
                "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"user.deleted\",\"version\":1,"
                        + "\"time\":\"yesterday\",\"data\":{\"userId\":\"u\"}}",
                "{\"id\":\"7d0c8f0e-1b7e-4a53-9a6b-2b1f5d1e9c11\",\"type\":\"meeting.started\",\"version\":1,"
                        + "\"time\":\"2026-11-26T09:30:00Z\",\"data\":{\"startedAt\":{\"nested\":1}}}",
        })
        void rejectsItWithAFormatException(String json) {
            assertThatThrownBy(() -> EventCodec.decode(json)).isInstanceOf(EventFormatException.class);
        }

        @Test
        void rejectsOversizedDocumentsBeforeParsing() {
            byte[] huge = new byte[EventCodec.MAX_EVENT_BYTES + 1];
            java.util.Arrays.fill(huge, (byte) ' ');

            assertThatThrownBy(() -> EventCodec.decode(huge))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("exceeds");
        }

        @Test
        void rejectsInvalidUtf8() {
            byte[] bytes = "{\"id\":\"\u00ff".getBytes(StandardCharsets.ISO_8859_1);

            assertThatThrownBy(() -> EventCodec.decode(bytes)).isInstanceOf(EventFormatException.class);
        }
    }

    @Test
    void serdeRoundTrips() {
        Event event = Event.of(new MeetingEvents.Started("m-1", "room", T0), T0);
        try (EventSerde serde = new EventSerde()) {
            byte[] bytes = serde.serializer().serialize(Topics.MEETINGS, event);
            assertThat(serde.deserializer().deserialize(Topics.MEETINGS, bytes)).isEqualTo(event);
        }
    }

    @Test
    void deadLetterTopicNamesFollowTheConsumer() {
        assertThat(Topics.deadLetter("recording-archive")).isEqualTo("tribune.dlq.recording-archive");
        assertThatThrownBy(() -> Topics.deadLetter("Bad Name")).isInstanceOf(IllegalArgumentException.class);
    }
}
