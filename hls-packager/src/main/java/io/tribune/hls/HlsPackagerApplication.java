package io.tribune.hls;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tribune.common.cdn.CloudFrontVerifier;
import io.tribune.common.cdn.PemKeys;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.hls.captions.CaptionsConsumer;
import io.tribune.hls.ingest.IngestServer;
import io.tribune.hls.live.EventRegistry;
import io.tribune.hls.live.LiveSettings;
import io.tribune.hls.live.RenditionListener;
import io.tribune.hls.origin.AuthResource;
import io.tribune.hls.origin.CorsFilter;
import io.tribune.hls.origin.HlsResource;
import io.tribune.hls.origin.RecordingResource;
import io.tribune.hls.origin.SignatureFilter;
import io.tribune.hls.storage.SegmentArchive;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The HLS packager and media origin: {@code java -cp ... io.tribune.hls.HlsPackagerApplication server
 * hls-packager.yml}.
 *
 * <pre>
 * transcoder --ingest (TCP)--> IngestServer --> LiveEvent (segmenters, renditions) --> SegmentArchive --> S3
 * tribune.captions --> CaptionsConsumer --^ (final captions into the next subtitle segments)
 *                                                     |
 * viewers --CDN/nginx--> SignatureFilter --> HlsResource (playlists, blocking reload, parts, replay from S3)
 *                                        \--> RecordingResource (recordings from the archive's bucket, ranges)
 * </pre>
 *
 * <p>All wiring happens in {@link #run}.
 */
public class HlsPackagerApplication extends Application<HlsPackagerConfiguration> {

    private final Clock clock;
    private volatile IngestServer ingestServer;
    private volatile EventRegistry registry;
    private volatile CaptionsConsumer captions;

    public HlsPackagerApplication() {
        this(Clock.systemUTC());
    }

    public HlsPackagerApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new HlsPackagerApplication().run(args);
    }

    @Override
    public String getName() {
        return "hls-packager";
    }

    @Override
    public void initialize(Bootstrap<HlsPackagerConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(HlsPackagerConfiguration configuration, Environment environment) throws Exception {
        LiveSettings settings = configuration.getLive().settings();

        // Object storage: segments as they complete, VOD playlists at the end, replay when out of memory.
        HlsPackagerConfiguration.Storage storage = configuration.getStorage();
        SegmentArchive archive = null;
        if (storage.isEnabled()) {
            S3Client s3 = s3Client(storage.getRegion(), storage.getEndpoint(), storage.getAccessKey(),
                    storage.getSecretKey(), storage.isPathStyle());
            environment.lifecycle().manage(new Managed() {
                @Override
                public void stop() {
                    s3.close();
                }
            });
            archive = new SegmentArchive(s3, storage.getBucket(), storage.getPrefix(), environment.metrics());
            environment.lifecycle().manage(archive);
            SegmentArchive checked = archive;
            environment.healthChecks().register("object-storage", new HealthCheck() {
                @Override
                protected Result check() {
                    if (!checked.reachable()) {
                        return Result.unhealthy("bucket " + storage.getBucket() + " is unreachable");
                    }
                    return checked.backlog() > 1000 ? Result.unhealthy(checked.backlog() + " uploads queued")
                            : Result.healthy(checked.backlog() + " uploads queued");
                }
            });
        }
        SegmentArchive finalArchive = archive;

        // Live events and their ingest.
        EventRegistry registry = new EventRegistry(settings, clock,
                id -> finalArchive == null ? RenditionListener.NONE : finalArchive.listenerFor(id),
                configuration.getLive().getSubtitlesLanguage(), configuration.getLive().getEndedRetention());
        HlsPackagerConfiguration.Ingest ingest = configuration.getIngest();
        IngestServer ingestServer = new IngestServer(InetAddress.getByName(ingest.getBindAddress()), ingest.getPort(),
                ingest.getKey(), ingest.getIdleTimeout(), registry,
                event -> {
                    if (finalArchive != null) {
                        finalArchive.finish(event);
                    }
                }, environment.metrics());
        environment.lifecycle().manage(ingestServer);
        environment.healthChecks().register("ingest", new HealthCheck() {
            @Override
            protected Result check() {
                return ingestServer.isListening() ? Result.healthy("listening on port " + ingestServer.port())
                        : Result.unhealthy("not listening");
            }
        });
        environment.metrics().gauge("hls.events_in_memory", () -> registry::size);

        // Town-hall captions (transcription-worker, tribune.captions) into the subtitles rendition.
        HlsPackagerConfiguration.Kafka kafka = configuration.getKafka();
        if (kafka.isEnabled()) {
            CaptionsConsumer captions = new CaptionsConsumer(kafka.getBootstrapServers(), kafka.getGroup(), registry,
                    kafka.getCaptionsMaxAge(), clock, environment.metrics());
            environment.lifecycle().manage(captions);
            environment.healthChecks().register("kafka-consumer", new HealthCheck() {
                @Override
                protected Result check() {
                    EventConsumer consumer = captions.consumer();
                    if (consumer == null || !consumer.isRunning()) {
                        return Result.unhealthy("captions consumer not running; last error: "
                                + (consumer == null ? "not started" : consumer.lastError()));
                    }
                    return Result.healthy("group " + consumer.settings().group() + ", lag " + consumer.lag()
                            + (consumer.lastError() == null ? "" : ", last error: " + consumer.lastError()));
                }
            });
            this.captions = captions;
        }

        // The origin.
        ExecutorService responses = environment.lifecycle().executorService("hls-responses").minThreads(8)
                .maxThreads(8).build();
        environment.jersey().register(new HlsResource(registry, archive, settings, responses, environment.metrics()));
        HlsPackagerConfiguration.Recordings recordings = configuration.getRecordings();
        if (recordings.isEnabled()) {
            S3Client recordingsS3 = s3Client(recordings.getRegion(), recordings.getEndpoint(),
                    recordings.getAccessKey(), recordings.getSecretKey(), recordings.isPathStyle());
            environment.lifecycle().manage(new Managed() {
                @Override
                public void stop() {
                    recordingsS3.close();
                }
            });
            environment.jersey().register(new RecordingResource(recordingsS3, recordings.getBucket(),
                    recordings.getCacheMaxAge(), environment.metrics()));
        }
        HlsPackagerConfiguration.Signatures signatures = configuration.getSignatures();
        CloudFrontVerifier verifier = new CloudFrontVerifier(trustedKeys(signatures.getTrustedKeys()), clock);
        environment.jersey().register(new AuthResource(verifier, signatures.getPublicBaseUrl(), environment.metrics()));
        // CORS first (preflights carry no cookies), then signatures; isMatchAfter=true keeps this order.
        environment.servlets().addFilter("cors", new CorsFilter(signatures.getAllowedOrigins()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/hls/*", "/recordings/*");
        if (signatures.isRequired()) {
            environment.servlets().addFilter("signatures", new SignatureFilter(verifier,
                    signatures.getPublicBaseUrl(), environment.metrics()))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/hls/*", "/recordings/*");
        }

        PrometheusRegistry prometheus = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(environment.metrics()).register(prometheus);
        JvmMetrics.builder().register(prometheus);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(prometheus)).addMapping("/prometheus");

        this.ingestServer = ingestServer;
        this.registry = registry;
    }

    /** The ingest server, once {@link #run} has wired it (tests read its port). */
    public IngestServer ingestServer() {
        return ingestServer;
    }

    public EventRegistry registry() {
        return registry;
    }

    /** The captions consumer, or null without Kafka (tests read its state). */
    public CaptionsConsumer captions() {
        return captions;
    }

    private static S3Client s3Client(String region, String endpoint, String accessKey, String secretKey,
                                     boolean pathStyle) {
        S3ClientBuilder builder = S3Client.builder().region(Region.of(region)).forcePathStyle(pathStyle);
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        if (!accessKey.isEmpty()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    accessKey, secretKey)));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    private static Map<String, PublicKey> trustedKeys(Map<String, String> files)
            throws IOException, GeneralSecurityException {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : files.entrySet()) {
            keys.put(entry.getKey(), PemKeys.publicKey(Files.readString(Path.of(entry.getValue()))));
        }
        return keys;
    }
}
