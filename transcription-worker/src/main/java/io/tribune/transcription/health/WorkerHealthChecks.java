package io.tribune.transcription.health;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.AdminEnvironment;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tribune.transcription.core.MediaConsumer;
import io.tribune.transcription.core.SpeechModel;
import java.util.List;

/**
 * The worker's admin endpoints: health checks ({@code /healthcheck}: {@code vosk-model}, {@code kafka-consumer})
 * and {@code /prometheus} (Dropwizard metrics under {@code tribune.transcription.} and the consumer's
 * {@code tribune.consumer.<group>.lag}; plus JVM metrics).
 */
public final class WorkerHealthChecks {

    public static final String PROMETHEUS_PATH = "/prometheus";

    private WorkerHealthChecks() {
    }

    public static void register(Environment environment, SpeechModel model, String group,
                                List<MediaConsumer> consumers) {
        environment.healthChecks().register("vosk-model", new HealthCheck() {
            @Override
            protected Result check() {
                return model.isLoaded() ? Result.healthy("model " + model.path())
                        : Result.unhealthy("Vosk model not loaded from " + model.path());
            }
        });
        environment.healthChecks().register("kafka-consumer", new HealthCheck() {
            @Override
            protected Result check() {
                long lag = 0;
                for (MediaConsumer consumer : consumers) {
                    if (!consumer.isRunning()) {
                        return Result.unhealthy("a consumer is not running; last error: " + consumer.lastError());
                    }
                    lag += consumer.lag();
                }
                // ops' `tribune status` prints this message: the group and its lag (records behind, all consumers).
                return Result.healthy("group " + group + ", " + consumers.size() + " consumer(s), lag " + lag);
            }
        });
        registerPrometheus(environment.metrics(), environment.admin());
    }

    private static void registerPrometheus(MetricRegistry metrics, AdminEnvironment admin) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
        JvmMetrics.builder().register(registry);
        admin.addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PROMETHEUS_PATH);
    }
}
