package io.tribune.recording.health;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.AdminEnvironment;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tribune.recording.core.MediaConsumer;
import io.tribune.recording.storage.ObjectStore;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The archive's admin endpoints: health checks ({@code /healthcheck}: {@code postgresql}, {@code kafka-consumer},
 * {@code object-storage}) and {@code /prometheus} (Dropwizard metrics: packets, losses, tracks, recordings, the
 * consumer's lag; plus JVM metrics) in the Prometheus text format, as the other services serve them.
 */
public final class ArchiveHealthChecks {

    public static final String PROMETHEUS_PATH = "/prometheus";

    private ArchiveHealthChecks() {
    }

    public static void register(Environment environment, DataSource dataSource, MediaConsumer consumer,
                                ObjectStore store) {
        environment.healthChecks().register("postgresql", new HealthCheck() {
            @Override
            protected Result check() throws Exception {
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                    return Result.healthy();
                }
            }
        });
        environment.healthChecks().register("kafka-consumer", new HealthCheck() {
            @Override
            protected Result check() {
                if (!consumer.isRunning()) {
                    return Result.unhealthy("consumer not running; last error: " + consumer.lastError());
                }
                return Result.healthy("group " + consumer.settings().group() + ", lag " + consumer.lag()
                        + (consumer.lastError() == null ? "" : ", last error: " + consumer.lastError()));
            }
        });
        environment.healthChecks().register("object-storage", new HealthCheck() {
            @Override
            protected Result check() {
                store.checkBucket();
                return Result.healthy("bucket " + store.bucket());
            }
        });
        registerPrometheus(environment.metrics(), environment.admin());
    }

    private static void registerPrometheus(MetricRegistry metrics, AdminEnvironment admin) {
        // Its own registry, not the JVM-wide default: several instances in one JVM (tests) must not collide.
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
        JvmMetrics.builder().register(registry);
        admin.addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PROMETHEUS_PATH);
    }
}
