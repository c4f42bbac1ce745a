package io.tribune.transcoder.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.common.media.IngestFrame;
import io.tribune.events.LiveBroadcasts;
import io.tribune.platform.UdpPorts;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import io.tribune.transcoder.TownHallTranscoder;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.GStreamer;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.testing.FakePackager;
import io.tribune.transcoder.testing.Rungs;
import io.tribune.transcoder.testing.SrtSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The transcoder following live broadcasts over the real Redis: the test plays the api-server (the live set and
 * the announcements) and the SFU node (answers the egress command with a description in the key and on the
 * channel, and sends VP8 and Opus RTP from GStreamer to the ports the transcoder asked for). The stage reaches the
 * ladder and the packager; a new speaker moves pads without a rebuild, a new stream rebuilds the input, bad
 * messages are counted and ignored, and the stop ends the event (END to the packager) and the SFU's egress.
 */
@ExtendWith(PlatformExtension.class)
@Timeout(180)
class StageTownHallsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ladder LADDER = new Ladder(List.of(new Rung("180p", 320, 180, 300),
            new Rung("90p", 160, 90, 120)));
    private static final EncoderSettings ENCODER = new EncoderSettings(15, 2, "veryfast", "zerolatency", 64_000);

    private RedissonClient redis;
    private FakePackager packager;
    private StageTownHalls stage;
    private Pipeline senders;

    @BeforeAll
    static void needsTools() {
        assumeTrue(SrtSender.gstreamerAvailable(), "GStreamer 1.22 plugins are needed (see ops/tribune)");
        GStreamer.init();
    }

    @AfterEach
    void stop() throws Exception {
        if (senders != null) {
            senders.stop();
            senders.dispose();
        }
        if (stage != null) {
            stage.stop();
        }
        if (packager != null) {
            packager.close();
        }
        if (redis != null) {
            redis.shutdown();
        }
    }

    @Test
    void followsALiveBroadcastFromTheSfusEgressThroughTheLadderUntilItStops(PlatformUrls urls) throws Exception {
        Config config = new Config();
        config.useSingleServer().setAddress(urls.redisUri());
        redis = Redisson.create(config);
        String meeting = "stage" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        int portBase = UdpPorts.evenFreeBlock(64);
        packager = new FakePackager();
        stage = new StageTownHalls(urls.redisUri(), "127.0.0.1", portBase, 1, Duration.ofSeconds(1),
                (id, source) -> new TownHallTranscoder(id, source, LADDER, ENCODER, packager.address(), ""));

        // The SFU node's side: egress commands for this room.
        BlockingQueue<JsonNode> commands = new LinkedBlockingQueue<>();
        RTopic control = redis.getTopic(LiveBroadcasts.egressControl(meeting), StringCodec.INSTANCE);
        control.addListener(String.class, (channel, message) -> {
            try {
                commands.add(JSON.readTree(message));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        RTopic announcements = redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE);

        stage.start();
        await(Duration.ofSeconds(20), stage::following, "the live set read");
        announcements.publish("{\"action\":\"start\"}");
        announcements.publish("not json");
        await(Duration.ofSeconds(10), () -> stage.badMessages() == 2, "two bad announcements counted");

        // The api-server's side: the broadcast goes live.
        redis.getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).add(meeting);
        announcements.publish(new LiveBroadcasts.Announcement(true, meeting).toJson());
        JsonNode start = commands.poll(20, TimeUnit.SECONDS);
        assertThat(start).as("an egress start for the room").isNotNull();
        assertThat(start.path("action").asText()).isEqualTo("start");
        assertThat(start.path("host").asText()).isEqualTo("127.0.0.1");
        int port = start.path("port").asInt();
        assertThat(port).isEqualTo(portBase);
        TownHallTranscoder transcoder = stage.transcoder(meeting);
        StageSource source = stage.source(meeting);
        assertThat(transcoder).isNotNull();

        // The SFU describes the stage and sends it.
        String v1 = description(meeting, "ann", 1, camera("ann", "camera-a", port, 11), microphone("ann", port + 2));
        describe(meeting, v1);
        senders = (Pipeline) Gst.parseLaunch(videoSender(0xff00ff00, port, 11) + " " + videoSender(0xff0000ff,
                port + 4, 33) + " audiotestsrc is-live=true wave=ticks ! opusenc ! rtpopuspay pt=111 ssrc=44"
                + " ! udpsink host=127.0.0.1 port=" + (port + 2));
        senders.play();
        await(Duration.ofSeconds(60), transcoder::presenterOnAir, "the stage's camera on the ladder");
        int keyframesBefore = Rungs.keyframeDts(packager.samples(1)).size();
        await(Duration.ofSeconds(60), () -> Rungs.keyframeDts(packager.samples(1)).size() >= keyframesBefore + 2,
                "two more keyframes on the lowest rung with the stage on air");
        assertThat(source.inputBuilds()).isEqualTo(1);
        assertThat(source.streams()).hasSize(2);
        assertThat(packager.frames()).filteredOn(f -> f instanceof IngestFrame.Hello)
                .extracting(f -> ((IngestFrame.Hello) f).eventId()).contains(meeting);

        // A new dominant speaker only: pads move, no rebuild. The refresh asks for the egress again meanwhile.
        describe(meeting, description(meeting, "ben", 2, camera("ann", "camera-a", port, 11),
                microphone("ann", port + 2)));
        await(Duration.ofSeconds(10), () -> source.speakerChanges() == 1, "the speaker change applied");
        JsonNode refreshed = commands.poll(10, TimeUnit.SECONDS);
        assertThat(refreshed).as("the egress start repeated").isNotNull();
        assertThat(refreshed.path("port").asInt()).isEqualTo(port);

        // A description that does not parse, and one that points outside the town hall's ports: counted, ignored.
        long bad = stage.badMessages();
        redis.getTopic(LiveBroadcasts.egressDescription(meeting), StringCodec.INSTANCE).publish("{\"streams\":7}");
        redis.getTopic(LiveBroadcasts.egressDescription(meeting), StringCodec.INSTANCE).publish(description(meeting,
                "ann", 3, camera("ann", "camera-a", 9, 11)));
        await(Duration.ofSeconds(10), () -> stage.badMessages() == bad + 2, "bad descriptions counted");
        assertThat(source.inputBuilds()).isEqualTo(1);

        // Ben's camera joins: another set of streams, a new input; ben speaks, so his camera is shown.
        describe(meeting, description(meeting, "ben", 4, camera("ann", "camera-a", port, 11),
                camera("ben", "camera-b", port + 4, 33), microphone("ann", port + 2)));
        await(Duration.ofSeconds(20), () -> source.inputBuilds() == 2 && source.streams().size() == 3,
                "the input rebuilt for three streams");
        long frames = source.videoFrames();
        await(Duration.ofSeconds(30), () -> source.videoFrames() > frames + 15 && transcoder.presenterOnAir(),
                "the rebuilt input decoding");
        assertThat(transcoder.ladderRestarts()).isZero();

        // The host stops the broadcast: the SFU is told to stop, the packager gets END, the town hall goes.
        redis.getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).remove(meeting);
        announcements.publish(new LiveBroadcasts.Announcement(false, meeting).toJson());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode command;
        do {
            command = commands.poll(1, TimeUnit.SECONDS);
        } while ((command == null || !command.path("action").asText().equals("stop"))
                && System.nanoTime() < deadline);
        assertThat(command).as("an egress stop").isNotNull();
        assertThat(command.path("action").asText()).isEqualTo("stop");
        await(Duration.ofSeconds(20), () -> packager.frames().stream().anyMatch(f -> f instanceof IngestFrame.End),
                "END sent to the packager");
        await(Duration.ofSeconds(20), () -> stage.transcoder(meeting) == null && stage.statuses().isEmpty(),
                "the town hall torn down");
        assertThat(packager.errors()).isEmpty();
        assertThat(stage.redisErrors()).isZero();
    }

    private void describe(String meeting, String json) {
        redis.getBucket(LiveBroadcasts.egress(meeting), StringCodec.INSTANCE).set(json);
        redis.getTopic(LiveBroadcasts.egressDescription(meeting), StringCodec.INSTANCE).publish(json);
    }

    private static String description(String room, String speaker, int version, String... streams) {
        return "{\"room\":\"" + room + "\",\"host\":\"127.0.0.1\",\"active_speaker\":\"" + speaker
                + "\",\"version\":" + version + ",\"streams\":[" + String.join(",", streams) + "]}";
    }

    private static String camera(String participant, String track, int port, long ssrc) {
        return stream(participant, track, "camera", "video", "VP8", port, 96, ssrc);
    }

    private static String microphone(String participant, int port) {
        return stream(participant, "microphone-" + participant, "microphone", "audio", "OPUS", port, 111, 44);
    }

    private static String stream(String participant, String track, String source, String media, String encoding,
                                 int port, int payloadType, long ssrc) {
        int rate = media.equals("audio") ? 48_000 : 90_000;
        return "{\"participant_id\":\"" + participant + "\",\"track_id\":\"" + track + "\",\"source\":\"" + source
                + "\",\"media\":\"" + media + "\",\"encoding_name\":\"" + encoding + "\",\"clock_rate\":" + rate
                + ",\"payload_type\":" + payloadType + ",\"ssrc\":" + ssrc + ",\"port\":" + port
                + ",\"caps\":\"application/x-rtp,media=" + media + ",encoding-name=" + encoding + ",clock-rate="
                + rate + ",payload=" + payloadType + ",ssrc=(uint)" + ssrc + "\"}";
    }

    private static String videoSender(int argb, int port, int ssrc) {
        return "videotestsrc is-live=true pattern=solid-color foreground-color=" + Integer.toUnsignedString(argb)
                + " ! video/x-raw,width=320,height=180,framerate=15/1 ! vp8enc deadline=1 keyframe-max-dist=15"
                + " ! rtpvp8pay pt=96 ssrc=" + ssrc + " ! udpsink host=127.0.0.1 port=" + port;
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

}
