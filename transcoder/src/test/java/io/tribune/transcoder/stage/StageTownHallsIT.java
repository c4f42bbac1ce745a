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
import java.util.ArrayList;
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
import org.junit.jupiter.api.BeforeEach;
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
 * messages are counted and ignored, and the stop ends the event (END to the packager) and the SFU's egress. Two
 * transcoders on one Redis share the live town halls (one each, within their capacity), and when one dies the other
 * takes its town hall over; one that finds another's lease stops its copy without ending the broadcast.
 */
@ExtendWith(PlatformExtension.class)
@Timeout(180)
class StageTownHallsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ladder LADDER = new Ladder(List.of(new Rung("180p", 320, 180, 300),
            new Rung("90p", 160, 90, 120)));
    private static final EncoderSettings ENCODER = new EncoderSettings(15, 2, "veryfast", "zerolatency", 64_000);

    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private PlatformUrls urls;
    private RedissonClient redis;
    private FakePackager packager;
    private final List<StageTownHalls> stages = new ArrayList<>();
    private final List<String> meetings = new ArrayList<>();
    private Pipeline senders;

    @BeforeAll
    static void needsTools() {
        assumeTrue(SrtSender.gstreamerAvailable(), "GStreamer 1.22 plugins are needed (see ops/tribune)");
        GStreamer.init();
    }

    @BeforeEach
    void connect(PlatformUrls urls) throws IOException {
        this.urls = urls;
        Config config = new Config();
        config.useSingleServer().setAddress(urls.redisUri());
        redis = Redisson.create(config);
        packager = new FakePackager();
    }

    @AfterEach
    void stop() throws Exception {
        if (senders != null) {
            senders.stop();
            senders.dispose();
        }
        // Out of the live set first: a transcoder that shuts down announces its still-live town halls again.
        for (String meeting : meetings) {
            redis.getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).remove(meeting);
        }
        for (StageTownHalls stage : stages) {
            stage.stop();
        }
        for (String meeting : meetings) {
            redis.getBucket(LiveBroadcasts.owner(meeting), StringCodec.INSTANCE).delete();
        }
        packager.close();
        redis.shutdown();
    }

    @Test
    void followsALiveBroadcastFromTheSfusEgressThroughTheLadderUntilItStops() throws Exception {
        String meeting = newMeeting("stage");
        int portBase = UdpPorts.evenFreeBlock(64);
        StageTownHalls stage = stageTownHalls("t1", portBase, 1);
        BlockingQueue<JsonNode> commands = egressCommands(meeting);
        RTopic announcements = redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE);

        stage.start();
        await(Duration.ofSeconds(20), stage::following, "the live set read");
        announcements.publish("{\"action\":\"start\"}");
        announcements.publish("not json");
        await(Duration.ofSeconds(10), () -> stage.badMessages() == 2, "two bad announcements counted");

        // The api-server's side: the broadcast goes live.
        goLive(meeting);
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
        end(meeting);
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
        assertThat(owner(meeting)).as("the lease released").isNull();
    }

    @Test
    void sharesTheLiveTownHallsAmongTranscodersAndTakesOverTheTownHallOfOneThatDies() throws Exception {
        String x = newMeeting("x");
        String y = newMeeting("y");
        String z = newMeeting("z");
        int portBase = UdpPorts.evenFreeBlock(192);
        StageTownHalls a = stageTownHalls("a", portBase, 1);
        StageTownHalls b = stageTownHalls("b", portBase + 64, 1);
        BlockingQueue<JsonNode> xCommands = egressCommands(x);
        BlockingQueue<JsonNode> yCommands = egressCommands(y);
        BlockingQueue<JsonNode> zCommands = egressCommands(z);
        a.start();
        b.start();
        await(Duration.ofSeconds(20), () -> a.following() && b.following(), "both reading the live set");

        // Two broadcasts go live at once: each is run by exactly one transcoder, one each (maxTownHalls 1).
        goLive(x);
        goLive(y);
        await(Duration.ofSeconds(20), () -> owner(x) != null && owner(y) != null && a.owned() == 1
                && b.owned() == 1, "both town halls claimed");
        StageTownHalls ofX = owner(x).equals(a.instanceId()) ? a : b;
        StageTownHalls ofY = ofX == a ? b : a;
        int portOfX = ofX == a ? portBase : portBase + 64;
        int portOfY = ofY == a ? portBase : portBase + 64;
        assertThat(owner(y)).isEqualTo(ofY.instanceId()).isNotEqualTo(ofX.instanceId());
        assertThat(ofX.transcoder(x)).isNotNull();
        assertThat(ofX.transcoder(y)).isNull();
        assertThat(ofY.transcoder(y)).isNotNull();
        assertThat(ofY.transcoder(x)).isNull();
        assertThat(nextStart(xCommands).path("port").asInt()).as("x's stage to its transcoder").isEqualTo(portOfX);
        assertThat(nextStart(yCommands).path("port").asInt()).as("y's stage to its transcoder").isEqualTo(portOfY);
        await(Duration.ofSeconds(60), () -> keyframes(x, 0) >= 2 && keyframes(y, 0) >= 2,
                "both ladders (on the slate) reaching the packager");

        // A third one finds both transcoders full: it waits, counted by both, and nobody asks its SFU for the stage.
        goLive(z);
        await(Duration.ofSeconds(20), () -> a.refusals() == 1 && b.refusals() == 1 && a.withoutOwner() == 1,
                "the third counted as refused by both");
        assertThat(owner(z)).isNull();
        assertThat(a.owned() + b.owned()).isEqualTo(2);
        end(z);
        assertThat(zCommands).isEmpty();

        // y ends: END for its event, its transcoder has room again.
        end(y);
        await(Duration.ofSeconds(20), () -> ofY.owned() == 0 && packager.connectionsFor(y).get(0).stream()
                .anyMatch(f -> f instanceof IngestFrame.End), "y ended");
        assertThat(owner(y)).isNull();

        // x's transcoder dies without a word: no egress stop, no END, its lease lapses; the other one takes x over.
        xCommands.clear();
        long died = System.nanoTime();
        ofX.abandon();
        Duration bound = LEASE_TTL.plus(REFRESH.multipliedBy(2)).plusSeconds(20); // + slack for a loaded machine
        await(bound, () -> ofY.instanceId().equals(owner(x)) && ofY.owned() == 1, "x taken over");
        double failoverSeconds = (System.nanoTime() - died) / 1e9;
        System.out.printf("StageTownHallsIT: x taken over %.1f s after its transcoder died (lease %d s, refresh"
                + " %d s)%n", failoverSeconds, LEASE_TTL.toSeconds(), REFRESH.toSeconds());
        assertThat(ofY.takeovers()).isEqualTo(1);
        JsonNode takeoverStart = nextStart(xCommands);
        assertThat(takeoverStart.path("port").asInt()).as("x's stage now to the other transcoder").isEqualTo(portOfY);
        // The same event goes on from a second ingest connection (the packager continues its playlist after a
        // discontinuity: hls-packager's IngestServerTest); the first one ended without END.
        await(Duration.ofSeconds(60), () -> packager.connectionsFor(x).size() == 2 && keyframes(x, 1) >= 2,
                "x's ladder feeding the same event again");
        assertThat(packager.connectionsFor(x).get(0)).noneMatch(f -> f instanceof IngestFrame.End);

        // Another transcoder's lease where x's was (as if this one had stalled past its ttl and been replaced):
        // the copy here stops at the next refresh, without END and without stopping the SFU's egress.
        redis.<String>getBucket(LiveBroadcasts.owner(x), StringCodec.INSTANCE).set("intruder", Duration.ofMinutes(1));
        await(Duration.ofSeconds(20), () -> ofY.leaseLosses() == 1 && ofY.owned() == 0, "x's lease lost");
        assertThat(owner(x)).isEqualTo("intruder");
        assertThat(packager.connectionsFor(x)).allSatisfy(c -> assertThat(c)
                .noneMatch(f -> f instanceof IngestFrame.End));
        assertThat(xCommands).noneMatch(c -> c.path("action").asText().equals("stop"));

        // That lease gone, x is taken again; a transcoder that shuts down hands it over at once: the SFU's egress
        // stopped, the lease released before stop() returns (not left to lapse) and the start announced again.
        redis.getBucket(LiveBroadcasts.owner(x), StringCodec.INSTANCE).delete();
        await(Duration.ofSeconds(20), () -> ofY.owned() == 1, "x run again");
        StageTownHalls c = stageTownHalls("c", portBase + 128, 1);
        c.start();
        await(Duration.ofSeconds(20), c::following, "a third transcoder reading the live set");
        xCommands.clear();
        ofY.stop();
        assertThat(owner(x)).as("released on shutdown").isNotEqualTo(ofY.instanceId());
        await(Duration.ofSeconds(20), () -> c.instanceId().equals(owner(x)) && c.owned() == 1, "x handed over");
        assertThat(xCommands.poll(5, TimeUnit.SECONDS).path("action").asText()).isEqualTo("stop");
        assertThat(nextStart(xCommands).path("port").asInt()).isEqualTo(portBase + 128);
        assertThat(packager.errors()).isEmpty();
        assertThat(a.redisErrors() + b.redisErrors() + c.redisErrors()).isZero();
    }

    private String newMeeting(String prefix) {
        String meeting = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        meetings.add(meeting);
        return meeting;
    }

    /** A transcoder's stage town halls on the platform's Redis, short refresh and lease, stopped after the test. */
    private StageTownHalls stageTownHalls(String name, int portBase, int maxTownHalls) {
        String instanceId = name + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        StageTownHalls stage = new StageTownHalls(new StageTownHalls.Settings(urls.redisUri(), instanceId,
                "127.0.0.1", portBase, maxTownHalls, REFRESH, LEASE_TTL),
                (id, source) -> new TownHallTranscoder(id, source, LADDER, ENCODER, packager.address(), ""));
        stages.add(stage);
        return stage;
    }

    /** The SFU node's side: the egress commands for one room, parsed. */
    private BlockingQueue<JsonNode> egressCommands(String meeting) {
        BlockingQueue<JsonNode> commands = new LinkedBlockingQueue<>();
        redis.getTopic(LiveBroadcasts.egressControl(meeting), StringCodec.INSTANCE).addListener(String.class,
                (channel, message) -> {
                    try {
                        commands.add(JSON.readTree(message));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        return commands;
    }

    private static JsonNode nextStart(BlockingQueue<JsonNode> commands) throws InterruptedException {
        JsonNode command = commands.poll(20, TimeUnit.SECONDS);
        assertThat(command).as("an egress start").isNotNull();
        assertThat(command.path("action").asText()).isEqualTo("start");
        return command;
    }

    /** The api-server's side of a start and a stop. */
    private void goLive(String meeting) {
        redis.getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).add(meeting);
        redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE)
                .publish(new LiveBroadcasts.Announcement(true, meeting).toJson());
    }

    private void end(String meeting) {
        redis.getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).remove(meeting);
        redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE)
                .publish(new LiveBroadcasts.Announcement(false, meeting).toJson());
    }

    private String owner(String meeting) {
        return redis.<String>getBucket(LiveBroadcasts.owner(meeting), StringCodec.INSTANCE).get();
    }

    /** Keyframes on the lowest rung from one of the event's ingest connections (0 if it has not connected). */
    private int keyframes(String meeting, int connection) {
        List<List<IngestFrame>> connections = packager.connectionsFor(meeting);
        if (connections.size() <= connection) {
            return 0;
        }
        return Rungs.keyframeDts(connections.get(connection).stream()
                .filter(f -> f instanceof IngestFrame.Sample sample && sample.trackId() == 1)
                .map(f -> (IngestFrame.Sample) f).toList()).size();
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
