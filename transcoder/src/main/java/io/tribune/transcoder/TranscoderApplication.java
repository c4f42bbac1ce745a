package io.tribune.transcoder;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.servlets.tasks.Task;
import io.tribune.transcoder.pipeline.SrtLibrary;
import io.tribune.transcoder.stage.StageTownHalls;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The town-hall transcoder: {@code java -cp ... io.tribune.transcoder.TranscoderApplication server transcoder.yml}.
 *
 * <pre>
 * presenter (OBS, ffmpeg) --SRT--> SrtInput (decode once) --inter--> LadderPipeline (x264 ladder + AAC)
 *     --> PackagerConnection --ingest protocol--> hls-packager
 * SFU room's stage --RTP--> RtpStageInput (decode, compose) --inter--> the same, for each live stage town hall
 * </pre>
 *
 * <p>Town halls in {@code townHalls} take SRT and run all the time; with {@code stage.redis}, {@link StageTownHalls}
 * runs one more for each live broadcast the api-server announces.
 *
 * <p>Admin port: {@code /healthcheck} (every town hall's SRT listener is up; the live broadcasts are followed),
 * metrics, and
 * {@code POST /tasks/end-broadcast?event=ID}, which ends an event's playlists (the host stopped the broadcast).
 */
public class TranscoderApplication extends Application<TranscoderConfiguration> {

    private final Map<String, TownHallTranscoder> transcoders = new LinkedHashMap<>();
    private StageTownHalls stageTownHalls;

    public static void main(String[] args) throws Exception {
        new TranscoderApplication().run(args);
    }

    @Override
    public String getName() {
        return "transcoder";
    }

    @Override
    public void initialize(Bootstrap<TranscoderConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(TranscoderConfiguration configuration, Environment environment) {
        TranscoderConfiguration.Packager packager = configuration.getPackager();
        InetSocketAddress packagerAddress = new InetSocketAddress(packager.getHost(), packager.getPort());
        // Managed objects stop in reverse order: this runs after every town hall has stopped its pipelines.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                SrtLibrary.cleanup();
            }
        });
        for (TranscoderConfiguration.TownHall townHall : configuration.getTownHalls()) {
            if (transcoders.containsKey(townHall.getEventId())) {
                throw new IllegalArgumentException("townHalls: event " + townHall.getEventId() + " appears twice");
            }
            TownHallTranscoder transcoder = new TownHallTranscoder(townHall.getEventId(), townHall.getStreamKey(),
                    configuration.getSrt().getBindAddress(), townHall.getSrtPort(),
                    Duration.ofMillis(configuration.getSrt().getLatency().toMilliseconds()), configuration.ladder(),
                    configuration.getEncoder().settings(), packagerAddress, packager.getKey());
            transcoders.put(townHall.getEventId(), transcoder);
            environment.lifecycle().manage(transcoder);
            String prefix = "transcoder." + townHall.getEventId() + ".";
            environment.metrics().register(prefix + "rejected_callers", (Gauge<Long>) transcoder::rejectedCallers);
            environment.metrics().register(prefix + "presenter_sessions",
                    (Gauge<Long>) transcoder::presenterSessions);
            environment.metrics().register(prefix + "ladder_restarts", (Gauge<Long>) transcoder::ladderRestarts);
            environment.metrics().register(prefix + "frames_sent",
                    (Gauge<Long>) () -> transcoder.connection() == null ? 0 : transcoder.connection().framesSent());
            environment.metrics().register(prefix + "frames_dropped",
                    (Gauge<Long>) () -> transcoder.connection() == null ? 0
                            : transcoder.connection().framesDropped());
        }
        TranscoderConfiguration.Stage stageConfig = configuration.getStage();
        if (stageConfig.enabled()) {
            StageTownHalls stage = new StageTownHalls(stageConfig.settings(),
                    (meetingId, source) -> new TownHallTranscoder(meetingId, source, configuration.ladder(),
                            configuration.getEncoder().settings(), packagerAddress, packager.getKey()));
            stageTownHalls = stage;
            environment.lifecycle().manage(stage);
            environment.metrics().register("transcoder.stage.live", (Gauge<Integer>) stage::live);
            environment.metrics().register("transcoder.stage.owned", (Gauge<Integer>) stage::owned);
            environment.metrics().register("transcoder.stage.without_owner", (Gauge<Integer>) stage::withoutOwner);
            environment.metrics().register("transcoder.stage.takeovers", (Gauge<Long>) stage::takeovers);
            environment.metrics().register("transcoder.stage.lease_losses", (Gauge<Long>) stage::leaseLosses);
            environment.metrics().register("transcoder.stage.bad_messages", (Gauge<Long>) stage::badMessages);
            environment.metrics().register("transcoder.stage.redis_errors", (Gauge<Long>) stage::redisErrors);
            environment.metrics().register("transcoder.stage.refusals", (Gauge<Long>) stage::refusals);
            environment.metrics().register("transcoder.stage.input_builds", (Gauge<Long>) () -> stage.statuses()
                    .stream().mapToLong(StageTownHalls.Status::inputBuilds).sum());
            environment.healthChecks().register("stage-town-halls", new HealthCheck() {
                @Override
                protected Result check() {
                    StringBuilder detail = new StringBuilder(stage.following() ? "following live broadcasts"
                            : "cannot read the live broadcasts from Redis");
                    detail.append(" as ").append(stage.instanceId()).append(": ").append(stage.live())
                            .append(" live, ").append(stage.owned()).append(" run here (at most ")
                            .append(stageConfig.getMaxTownHalls()).append("), ").append(stage.withoutOwner())
                            .append(" without a transcoder");
                    for (StageTownHalls.Status s : stage.statuses()) {
                        detail.append("; ").append(s.meetingId()).append(": ").append(s.source()).append(", RTP port ")
                                .append(s.rtpPort()).append(s.packagerConnected() ? ", packager connected"
                                        : ", packager not connected");
                    }
                    return stage.following() ? Result.healthy(detail.toString())
                            : Result.unhealthy(detail.toString());
                }
            });
        }
        environment.healthChecks().register("srt-ingest", new HealthCheck() {
            @Override
            protected Result check() {
                StringBuilder detail = new StringBuilder();
                boolean healthy = true;
                for (TownHallTranscoder t : transcoders.values()) {
                    healthy &= t.listening();
                    detail.append(t.eventId()).append(t.listening() ? ": listening" : ": not listening")
                            .append(t.presenterOnAir() ? ", on air" : "")
                            .append(t.connection() != null && t.connection().connected() ? ", packager connected"
                                    : ", packager not connected").append("; ");
                }
                return healthy ? Result.healthy(detail.toString()) : Result.unhealthy(detail.toString());
            }
        });
        environment.admin().addTask(new Task("end-broadcast") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                List<String> events = parameters.getOrDefault("event", List.of());
                for (String event : events) {
                    TownHallTranscoder t = transcoders.get(event);
                    if (t == null && stageTownHalls != null) {
                        t = stageTownHalls.transcoder(event);
                    }
                    if (t == null) {
                        output.println("no town hall " + event);
                        continue;
                    }
                    t.endBroadcast();
                    output.println("ended " + event);
                }
            }
        });
    }

    /** The stage town halls, or null when {@code stage.redis} is not set (tests). */
    public StageTownHalls stageTownHalls() {
        return stageTownHalls;
    }

    /** The running SRT town halls by event id (tests). */
    public Map<String, TownHallTranscoder> transcoders() {
        return transcoders;
    }
}
