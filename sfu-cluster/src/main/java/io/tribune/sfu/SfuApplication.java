package io.tribune.sfu;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.token.TokenVerifier;
import io.tribune.sfu.app.EgressControls;
import io.tribune.sfu.app.HostControls;
import io.tribune.sfu.app.MediaTapMetrics;
import io.tribune.sfu.app.MediaPortHealthCheck;
import io.tribune.sfu.app.NodeLoad;
import io.tribune.sfu.app.NodeRegistry;
import io.tribune.sfu.app.PublicJwks;
import io.tribune.sfu.app.SfuMetrics;
import io.tribune.sfu.dtls.DtlsCertificate;
import io.tribune.sfu.egress.StageEgresses;
import io.tribune.sfu.ice.IceConfig;
import io.tribune.sfu.ice.IceUdpPort;
import io.tribune.sfu.room.DominantSpeakerDetector;
import io.tribune.sfu.room.MediaContext;
import io.tribune.sfu.room.RoomSettings;
import io.tribune.sfu.room.Rooms;
import io.tribune.sfu.signaling.JoinTokens;
import io.tribune.sfu.signaling.SignalingCodec;
import io.tribune.sfu.signaling.SignalingSettings;
import io.tribune.sfu.signaling.SignalingSocket;
import io.tribune.sfu.srtp.SrtpCrypto;
import io.tribune.sfu.tap.KafkaTapSink;
import io.tribune.sfu.tap.RoomTaps;
import io.tribune.sfu.tap.TapQueue;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/**
 * The SFU node: the signaling WebSocket on the application port, media on one UDP port, health and
 * {@code /prometheus} on the admin port. All wiring happens in {@link #run}.
 */
public class SfuApplication extends Application<SfuConfiguration> {

    private static final Logger LOGGER = Logger.getLogger(SfuApplication.class.getName());
    private static final String CONSENT_INTERVAL_PROPERTY = "ice4j.consent-freshness.interval";

    private volatile Rooms rooms;
    private volatile IceUdpPort mediaPort;
    private volatile NodeRegistry nodeRegistry;
    private volatile StageEgresses egresses;
    private volatile RoomTaps taps;

    public static void main(String[] args) throws Exception {
        new SfuApplication().run(args);
    }

    @Override
    public String getName() {
        return "tribune-sfu";
    }

    @Override
    public void initialize(Bootstrap<SfuConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default} in the YAML, as in api-server; an unset variable without default is an error.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(SfuConfiguration configuration, Environment environment) throws Exception {
        Clock clock = Clock.systemUTC();
        // Pins jitsi-srtp's AES provider and runs its first-use benchmark now, never on a packet thread.
        String provider = SrtpCrypto.initialize();
        LOGGER.info(() -> "SRTP provider " + provider);
        SfuConfiguration.Media media = configuration.getMedia();
        // ice4j reads its consent check interval from system properties; the check must come several times
        // within the consent timeout, or every endpoint would expire (ice4j's default is 15 s). A value set on the
        // command line wins; ice4j reads it when it creates its first agent, so this must happen first.
        if (System.getProperty(CONSENT_INTERVAL_PROPERTY) == null) {
            System.setProperty(CONSENT_INTERVAL_PROPERTY, media.consentCheckInterval.toMilliseconds() + " ms");
        }
        List<InetAddress> hosts = new ArrayList<>();
        for (String host : media.hostAddresses) {
            hosts.add(InetAddress.getByName(host));
        }
        Optional<InetAddress> publicAddress = media.publicAddress == null ? Optional.empty()
                : Optional.of(InetAddress.getByName(media.publicAddress));
        IceUdpPort port = new IceUdpPort(new IceConfig(hosts, media.port, publicAddress, media.iceLite,
                Duration.ofMillis(media.consentTimeout.toMilliseconds())));
        mediaPort = port;
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                port.close();
            }
        });
        ScheduledExecutorService scheduler = environment.lifecycle().scheduledExecutorService("sfu-timer-%d")
                .threads(1).build();
        SfuConfiguration.RoomDefaults roomDefaults = configuration.getRooms();
        Rooms created = new Rooms(new MediaContext(port, DtlsCertificate.generate(clock), scheduler, clock,
                media.receiveQueue, media.sendQueue, media.simulatedSendLossPercent),
                new RoomSettings(roomDefaults.lastN, roomDefaults.speechLevel, speakerSettings(roomDefaults),
                        roomDefaults.maxPublishKbps));
        rooms = created;
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                created.startSpeakerDetection();
            }

            @Override
            public void stop() {
                created.stopSpeakerDetection();
            }
        });
        NodeLoad load = new NodeLoad(created, clock);
        StageEgresses stage = new StageEgresses(created, scheduler, clock);
        egresses = stage;
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                stage.startTimer();
            }

            @Override
            public void stop() {
                stage.close();
            }
        });

        RoomTaps recordingTaps = mediaTaps(configuration.getKafka(), created, clock);
        taps = recordingTaps;
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                recordingTaps.startTimer(scheduler);
            }

            @Override
            public void stop() {
                recordingTaps.close();
            }
        });

        SfuConfiguration.Tokens tokens = configuration.getTokens();
        TokenVerifier verifier = new TokenVerifier(PublicJwks.read(Path.of(tokens.jwksFile)), tokens.issuer, clock,
                Duration.ofMillis(tokens.leeway.toMilliseconds()));
        String redisUri = configuration.getRedis().uri;
        JoinTokens joinTokens;
        if (redisUri == null || redisUri.isBlank()) {
            joinTokens = new JoinTokens(verifier, clock);
        } else {
            // Host controls and removals from the api-server, through its Redis.
            HostControls controls = new HostControls(redisUri, created, recordingTaps);
            environment.lifecycle().manage(controls);
            environment.lifecycle().manage(new EgressControls(redisUri, stage));
            joinTokens = new JoinTokens(verifier, clock, controls::isRevoked);
            registerNode(configuration, environment, created, load, clock);
        }
        SfuConfiguration.Signaling signaling = configuration.getSignaling();
        SignalingSettings settings = new SignalingSettings(signaling.joinTimeout.toMilliseconds(),
                signaling.messagesPerSecond, signaling.burst, signaling.floodCloseAfter);
        JettyWebSocketServletContainerInitializer.configure(environment.getApplicationContext(),
                (context, container) -> {
                    container.setMaxTextMessageSize(SignalingCodec.MAX_MESSAGE_CHARS);
                    container.setIdleTimeout(Duration.ofMillis(signaling.idleTimeout.toMilliseconds()));
                    // A client that reads nothing cannot make the server queue events without bound.
                    container.setMaxOutgoingFrames(1024);
                    container.addMapping(signaling.path, (request, response) ->
                            new SignalingSocket(created, joinTokens, settings, scheduler, clock));
                });

        environment.healthChecks().register(MediaPortHealthCheck.NAME, new MediaPortHealthCheck(media.port, created));
        SfuMetrics.register(environment.metrics(), environment.admin(), created, load)
                .register(new MediaTapMetrics(recordingTaps));
    }

    /** The media taps of recorded rooms; without Kafka they refuse every recording (logged). */
    private static RoomTaps mediaTaps(SfuConfiguration.Kafka kafka, Rooms rooms, Clock clock) {
        if (!kafka.configured()) {
            LOGGER.info("No kafka.bootstrapServers: recordings will be refused (no media tap)");
            return new RoomTaps(rooms, null, clock);
        }
        KafkaTapSink sink = new KafkaTapSink(new KafkaTapSink.Settings(kafka.bootstrapServers, kafka.clientId,
                kafka.compression, Duration.ofMillis(kafka.linger.toMilliseconds()), kafka.batchBytes,
                Duration.ofMillis(kafka.maxBlock.toMilliseconds())));
        return new RoomTaps(rooms, new TapQueue(sink, kafka.tapQueuePackets), clock);
    }

    private static DominantSpeakerDetector.Settings speakerSettings(SfuConfiguration.RoomDefaults rooms) {
        DominantSpeakerDetector.Settings defaults = DominantSpeakerDetector.Settings.DEFAULT;
        return new DominantSpeakerDetector.Settings(defaults.tickMillis(), defaults.shortMillis(),
                defaults.mediumMillis(), defaults.speakingShort(), defaults.minScore(), defaults.takeoverMargin(),
                rooms.speakerMinDwell.toMilliseconds());
    }

    /**
     * Registers the node in Redis once the signaling connector listens (its port may be picked at start), and
     * deregisters it when the node stops.
     */
    private void registerNode(SfuConfiguration configuration, Environment environment, Rooms created,
                              NodeLoad load, Clock clock) throws Exception {
        SfuConfiguration.Registry registry = configuration.getRegistry();
        SfuConfiguration.Media media = configuration.getMedia();
        String nodeId = registry.nodeId == null || registry.nodeId.isBlank()
                ? InetAddress.getLocalHost().getHostName() + "-" + media.port : registry.nodeId;
        Duration ttl = Duration.ofMillis(registry.ttl.toMilliseconds());
        NodeRegistry nodeRegistry = new NodeRegistry(configuration.getRedis().uri, new NodeRegistry.Settings(nodeId,
                registry.region, Duration.ofMillis(registry.heartbeat.toMilliseconds()), ttl,
                ttl.multipliedBy(3).compareTo(Duration.ofSeconds(30)) > 0 ? ttl.multipliedBy(3) : Duration.ofSeconds(30),
                registry.maxEndpoints, media.hostAddresses, media.port), created, load, clock,
                environment.lifecycle().scheduledExecutorService("sfu-registry-%d").threads(1).build());
        this.nodeRegistry = nodeRegistry;
        environment.lifecycle().manage(nodeRegistry);
        String path = configuration.getSignaling().path;
        environment.lifecycle().addServerLifecycleListener(server -> {
            String url = registry.signalingUrl;
            if (url == null || url.isBlank()) {
                url = "ws://" + listeningAddress(server, media.hostAddresses.get(0)) + path;
            }
            nodeRegistry.announce(url);
        });
    }

    /** host:port of the application connector (the first one); a wildcard bind host becomes {@code fallbackHost}. */
    private static String listeningAddress(Server server, String fallbackHost) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                String host = network.getHost();
                if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
                    host = fallbackHost;
                }
                return (host.contains(":") ? "[" + host + "]" : host) + ":" + network.getLocalPort();
            }
        }
        throw new IllegalStateException("no network connector");
    }

    /** The node's registry entry, when Redis is configured (tests). */
    public NodeRegistry nodeRegistry() {
        return nodeRegistry;
    }

    /** The node's rooms, once running (tests). */
    public Rooms rooms() {
        return rooms;
    }

    /** The node's RTP egresses to transcoders, once running (tests). */
    public StageEgresses egresses() {
        return egresses;
    }

    /** The node's media taps of recorded rooms, once running (tests). */
    public RoomTaps taps() {
        return taps;
    }

    /** The node's media port, once running (tests). */
    public IceUdpPort mediaPort() {
        return mediaPort;
    }
}
