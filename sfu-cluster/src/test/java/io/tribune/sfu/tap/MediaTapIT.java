package io.tribune.sfu.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.MediaEvents;
import io.tribune.events.MediaTaps;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.sfu.TestSfuNode;
import io.tribune.sfu.load.LoadGenerator;
import io.tribune.sfu.load.PublishedMedia;
import io.tribune.sfu.load.TribuneRoomLoad;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The media tap against a real Kafka and Redis (the embedded platform's) and a real WebRTC publisher (the load
 * client: ICE, DTLS, SRTP): {@code record_start} on the room's sfu-control channel makes the node publish each
 * track's Started event and then its decrypted packets, {@code record_stop} ends each track and the packets stop,
 * and a room created while its recording key is set is tapped without any command. Live captions: a captions-only
 * tap (audio only, recording id null) without a recording, in-band {@code media.audio_captions} switches during one,
 * and the hand-over between the two when a recording starts and stops while captions are on.
 */
@ExtendWith(PlatformExtension.class)
class MediaTapIT {

    private static TestSfuNode node;
    private static RedissonClient redis;
    private static String kafka;

    @BeforeAll
    static void start(PlatformUrls urls) throws Exception {
        kafka = urls.kafkaBootstrap();
        createTopics();
        node = new TestSfuNode(ConfigOverride.config("redis.uri", urls.redisUri()),
                ConfigOverride.config("kafka.bootstrapServers", kafka),
                ConfigOverride.config("kafka.linger", "2 milliseconds"));
        Config config = new Config();
        config.useSingleServer().setAddress(urls.redisUri());
        redis = Redisson.create(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.shutdown();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(180)
    void recordStartTapsEachTrackAfterItsStartedEventAndRecordStopEndsIt() throws Exception {
        String room = "tap-" + UUID.randomUUID();
        try (TapConsumer consumer = new TapConsumer(room);
             TribuneRoomLoad load = connect(room);
             LoadGenerator generator = new LoadGenerator(load.publishers())) {
            generator.start();
            PublishedMedia published = load.publishers().get(0);
            // Until the command, nothing of this room is tapped.
            consumer.pollFor(Duration.ofSeconds(1), records -> false);
            assertThat(consumer.records).isEmpty();

            publish(room, "{\"action\":\"record_start\",\"recording_id\":\"rec-1\"}");
            consumer.pollFor(Duration.ofSeconds(60), records -> packets(records, Topics.MEDIA_AUDIO) >= 100
                    && packets(records, Topics.MEDIA_VIDEO) >= 100);
            assertThat(metrics()).contains("sfu_media_tap_packets_total").containsPattern(
                    "sfu_room_tap_tracks\\{recording=\"rec-1\",room=\"" + room + "\"} 2.0");

            publish(room, "{\"action\":\"record_stop\",\"recording_id\":\"rec-1\"}");
            consumer.pollFor(Duration.ofSeconds(30), records -> records.stream()
                    .filter(r -> !RtpRecord.isRtpRecord(r.value())).count() == 4);
            int atStop = consumer.records.size();
            // The publisher keeps sending; nothing more may arrive for this room.
            consumer.pollFor(Duration.ofSeconds(2), records -> false);
            assertThat(consumer.records).hasSize(atStop);

            Map<String, List<ConsumerRecord<String, byte[]>>> byKey = consumer.byKey();
            assertThat(byKey).hasSize(2);
            for (List<ConsumerRecord<String, byte[]>> track : byKey.values()) {
                boolean video = track.get(0).topic().equals(Topics.MEDIA_VIDEO);
                Event started = EventCodec.decode(track.get(0).value());
                Event ended = EventCodec.decode(track.get(track.size() - 1).value());
                long ssrc = video ? published.videoSsrc() : published.audioSsrc();
                int payloadType = video ? PublishedMedia.VIDEO_PAYLOAD_TYPE : PublishedMedia.AUDIO_PAYLOAD_TYPE;
                if (video) {
                    MediaEvents.VideoTrackStarted data = (MediaEvents.VideoTrackStarted) started.data();
                    assertThat(data.meetingId()).isEqualTo(room);
                    assertThat(data.codec()).isEqualTo("vp8");
                    assertThat(data.clockRate()).isEqualTo(90_000);
                    assertThat(data.source()).isEqualTo("camera");
                    assertThat(data.ssrc()).isEqualTo(ssrc);
                    assertThat(data.payloadType()).isEqualTo(payloadType);
                    assertThat(data.participantId()).isEqualTo("pub-0");
                    assertThat(data.displayName()).isEqualTo("Name of pub-0");
                    assertThat(data.recordingId()).isEqualTo("rec-1");
                    assertThat(track.get(0).key()).isEqualTo(room + ":" + data.trackId());
                    assertThat(ended.data()).isInstanceOf(MediaEvents.VideoTrackEnded.class);
                } else {
                    MediaEvents.AudioTrackStarted data = (MediaEvents.AudioTrackStarted) started.data();
                    assertThat(data.codec()).isEqualTo("opus");
                    assertThat(data.clockRate()).isEqualTo(48_000);
                    assertThat(data.ssrc()).isEqualTo(ssrc);
                    assertThat(data.recordingId()).isEqualTo("rec-1");
                    assertThat(ended.data()).isEqualTo(new MediaEvents.AudioTrackEnded(room, data.trackId(),
                            ((MediaEvents.AudioTrackEnded) ended.data()).endedAt(), "rec-1"));
                }
                List<RtpRecord> packets = track.subList(1, track.size() - 1).stream()
                        .map(r -> RtpRecord.decode(r.value())).toList();
                assertThat(packets).hasSizeGreaterThanOrEqualTo(100).allSatisfy(p -> {
                    assertThat(p.ssrc()).isEqualTo(ssrc);
                    assertThat(p.payloadType()).isEqualTo(payloadType);
                    assertThat(p.payload()).isNotEmpty();
                });
                if (video) {
                    // The video tap begins at a key frame (VP8 payload header's P bit clear, RFC 7741 §4.3).
                    assertThat(packets.get(0).payload()[1] & 0x01).isZero();
                }
                for (int i = 1; i < packets.size(); i++) {
                    int step = (packets.get(i).sequence() - packets.get(i - 1).sequence()) & 0xFFFF;
                    assertThat(step).as("sequence step at %d", i).isBetween(1, 100);
                    assertThat(packets.get(i).arrivalMicros()).isGreaterThanOrEqualTo(
                            packets.get(i - 1).arrivalMicros());
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void roomCreatedWhileItsRecordingKeyIsSetIsTappedFromTheStart() throws Exception {
        String room = "tap-" + UUID.randomUUID();
        redis.getBucket(MediaTaps.recordingKey(room), StringCodec.INSTANCE).set("rec-2");
        try (TapConsumer consumer = new TapConsumer(room)) {
            TribuneRoomLoad load = connect(room);
            LoadGenerator generator = new LoadGenerator(load.publishers());
            generator.start();
            consumer.pollFor(Duration.ofSeconds(60), records -> packets(records, Topics.MEDIA_AUDIO) >= 20
                    && packets(records, Topics.MEDIA_VIDEO) >= 20);
            Map<String, List<ConsumerRecord<String, byte[]>>> byKey = consumer.byKey();
            assertThat(byKey).hasSize(2);
            for (List<ConsumerRecord<String, byte[]>> track : byKey.values()) {
                assertThat(RtpRecord.isRtpRecord(track.get(0).value())).isFalse();
                assertThat(EventCodec.decode(track.get(0).value()).data()).satisfies(data -> assertThat(
                        data instanceof MediaEvents.AudioTrackStarted a ? a.recordingId()
                                : ((MediaEvents.VideoTrackStarted) data).recordingId()).isEqualTo("rec-2"));
            }
            // The publisher leaving ends its tracks.
            generator.close();
            load.close();
            consumer.pollFor(Duration.ofSeconds(60), records -> records.stream()
                    .filter(r -> !RtpRecord.isRtpRecord(r.value())).count() == 4);
            assertThat(consumer.byKey().values()).allSatisfy(track -> assertThat(EventCodec.decode(
                    track.get(track.size() - 1).value()).type()).endsWith("_track_ended"));
        } finally {
            redis.getBucket(MediaTaps.recordingKey(room), StringCodec.INSTANCE).delete();
        }
    }

    @Test
    @Timeout(240)
    void captionsTapAudioAloneAndSwitchInBandWhileARecordingRuns() throws Exception {
        String room = "cap-" + UUID.randomUUID();
        try (TapConsumer consumer = new TapConsumer(room);
             TribuneRoomLoad load = connect(room);
             LoadGenerator generator = new LoadGenerator(load.publishers())) {
            generator.start();
            // Captions without a recording: the audio track only, recording id null, captions on.
            publish(room, "{\"action\":\"captions_start\"}");
            consumer.pollFor(Duration.ofSeconds(60), records -> packets(records, Topics.MEDIA_AUDIO) >= 50);
            assertThat(packets(consumer.records, Topics.MEDIA_AUDIO)).isGreaterThanOrEqualTo(50);
            assertThat(consumer.records).noneMatch(r -> r.topic().equals(Topics.MEDIA_VIDEO));
            assertThat(metrics()).containsPattern("sfu_room_tap_tracks\\{recording=\"\",room=\"" + room
                    + "\"} 1.0");
            String audioKey = consumer.records.get(0).key();

            // A recording starts: the captions-only tap ends, the recording's tap starts with captions on.
            publish(room, "{\"action\":\"record_start\",\"recording_id\":\"rec-c\"}");
            consumer.pollFor(Duration.ofSeconds(60), records -> packetsAfter(records, audioKey,
                    "started:rec-c:true") >= 20 && packets(records, Topics.MEDIA_VIDEO) >= 20);
            // Captions off and on again during the recording: in-band, the same tap.
            publish(room, "{\"action\":\"captions_stop\"}");
            consumer.pollFor(Duration.ofSeconds(30), records -> packetsAfter(records, audioKey, "captions:false")
                    >= 20);
            publish(room, "{\"action\":\"captions_start\"}");
            consumer.pollFor(Duration.ofSeconds(30), records -> packetsAfter(records, audioKey, "captions:true")
                    >= 20);
            // The recording stops while captions stay on: a captions-only tap of the audio follows.
            publish(room, "{\"action\":\"record_stop\",\"recording_id\":\"rec-c\"}");
            consumer.pollFor(Duration.ofSeconds(30), records -> packetsAfter(records, audioKey,
                    "started:null:true") >= 20 && marks(records).getOrDefault(audioKey, List.of()).size() == 7);
            // Captions off: the captions-only tap ends; nothing more comes.
            publish(room, "{\"action\":\"captions_stop\"}");
            consumer.pollFor(Duration.ofSeconds(30), records -> marks(records).get(audioKey).size() == 8);
            int atStop = consumer.records.size();
            consumer.pollFor(Duration.ofSeconds(2), records -> false);
            assertThat(consumer.records).hasSize(atStop);

            Map<String, List<String>> marks = marks(consumer.records);
            assertThat(marks.get(audioKey)).containsExactly("started:null:true", "ended:null",
                    "started:rec-c:true", "captions:false", "captions:true", "ended:rec-c", "started:null:true",
                    "ended:null");
            assertThat(marks).hasSize(2);
            String videoKey = marks.keySet().stream().filter(k -> !k.equals(audioKey)).findFirst().orElseThrow();
            assertThat(marks.get(videoKey)).containsExactly("started:rec-c", "ended:rec-c");
            // Packets only inside a tap: none between an Ended event and the next Started event.
            boolean open = false;
            for (ConsumerRecord<String, byte[]> record : consumer.byKey().get(audioKey)) {
                String mark = mark(record);
                if (mark == null) {
                    assertThat(open).as("a packet outside any tap").isTrue();
                } else {
                    open = !mark.startsWith("ended");
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void roomCreatedWhileItsCaptionsKeyIsSetTapsItsAudioForCaptions() throws Exception {
        String room = "cap-" + UUID.randomUUID();
        redis.getBucket(MediaTaps.captionsKey(room), StringCodec.INSTANCE).set("on");
        try (TapConsumer consumer = new TapConsumer(room);
             TribuneRoomLoad load = connect(room);
             LoadGenerator generator = new LoadGenerator(load.publishers())) {
            generator.start();
            consumer.pollFor(Duration.ofSeconds(60), records -> packets(records, Topics.MEDIA_AUDIO) >= 20);
            assertThat(packets(consumer.records, Topics.MEDIA_AUDIO)).isGreaterThanOrEqualTo(20);
            assertThat(consumer.records).noneMatch(r -> r.topic().equals(Topics.MEDIA_VIDEO));
            assertThat(mark(consumer.records.get(0))).isEqualTo("started:null:true");
        } finally {
            redis.getBucket(MediaTaps.captionsKey(room), StringCodec.INSTANCE).delete();
        }
    }

    /** A track's metadata events in short form ({@code started:<recording>[:<captions>]}, ...); null for a packet. */
    private static String mark(ConsumerRecord<String, byte[]> record) {
        if (RtpRecord.isRtpRecord(record.value())) {
            return null;
        }
        Object data = EventCodec.decode(record.value()).data();
        if (data instanceof MediaEvents.AudioTrackStarted a) {
            return "started:" + a.recordingId() + ":" + a.captions();
        } else if (data instanceof MediaEvents.AudioTrackEnded a) {
            return "ended:" + a.recordingId();
        } else if (data instanceof MediaEvents.AudioCaptions c) {
            return "captions:" + c.captions();
        } else if (data instanceof MediaEvents.VideoTrackStarted v) {
            return "started:" + v.recordingId();
        } else if (data instanceof MediaEvents.VideoTrackEnded v) {
            return "ended:" + v.recordingId();
        }
        return data.getClass().getSimpleName();
    }

    private static Map<String, List<String>> marks(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String mark = mark(record);
            List<String> marks = out.computeIfAbsent(record.key(), k -> new ArrayList<>());
            if (mark != null) {
                marks.add(mark);
            }
        }
        return out;
    }

    /** Packets of {@code key} after its last event {@code mark}; 0 until that event came. */
    private static long packetsAfter(List<ConsumerRecord<String, byte[]>> records, String key, String mark) {
        long count = -1;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!record.key().equals(key)) {
                continue;
            }
            String m = mark(record);
            if (mark.equals(m)) {
                count = 0;
            } else if (m == null && count >= 0) {
                count++;
            }
        }
        return Math.max(0, count);
    }

    private static TribuneRoomLoad connect(String room) throws Exception {
        return TribuneRoomLoad.connect(URI.create(node.signalingUrl()),
                id -> node.token(id, room, "participant", List.of("publish", "subscribe")), 1, 1, 300,
                InetAddress.getLoopbackAddress(), Duration.ofSeconds(30));
    }

    private static void publish(String room, String command) {
        redis.getTopic("tribune:meeting:{" + room + "}:sfu-control", StringCodec.INSTANCE).publish(command);
    }

    private static long packets(List<ConsumerRecord<String, byte[]>> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic) && RtpRecord.isRtpRecord(r.value())).count();
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.adminUrl() + "/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void createTopics() throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka);
        try (Admin admin = Admin.create(props)) {
            for (String topic : List.of(Topics.MEDIA_AUDIO, Topics.MEDIA_VIDEO)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Reads both media topics from their current end, keeping this room's records in order. */
    private static final class TapConsumer implements AutoCloseable {
        private final String room;
        private final KafkaConsumer<String, byte[]> consumer;
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        TapConsumer(String room) {
            this.room = room;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.MEDIA_AUDIO, Topics.MEDIA_VIDEO)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
        }

        /** Polls until {@code done} holds for this room's records or {@code time} passes. */
        void pollFor(Duration time, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
            long deadline = System.nanoTime() + time.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(room + ":")) {
                        records.add(record);
                    }
                }
            }
        }

        /** This room's records per key, in the order of their partition. */
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey() {
            Map<String, List<ConsumerRecord<String, byte[]>>> out = new LinkedHashMap<>();
            records.forEach(r -> out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
            return out;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
