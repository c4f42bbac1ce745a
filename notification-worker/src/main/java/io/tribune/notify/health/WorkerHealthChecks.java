package io.tribune.notify.health;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.AdminEnvironment;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.notify.mail.Mailer;
import io.tribune.notify.reminders.SchedulerManager;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The worker's admin endpoints: health checks ({@code /healthcheck}: {@code postgresql}, {@code kafka-consumer},
 * {@code smtp}, {@code scheduler}) and {@code /prometheus} (Dropwizard metrics, including the consumer's lag and the
 * mail counters, plus JVM metrics) in the Prometheus text format, as the api-server serves them.
 */
public final class WorkerHealthChecks {

    public static final String PROMETHEUS_PATH = "/prometheus";

    private WorkerHealthChecks() {
    }

    public static void register(Environment environment, DataSource dataSource, EventConsumer consumer,
                                Mailer mailer, SchedulerManager scheduler) {
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
        environment.healthChecks().register("smtp", new HealthCheck() {
            @Override
            protected Result check() throws Exception {
                mailer.checkConnection();
                return Result.healthy();
            }
        });
        environment.healthChecks().register("scheduler", new HealthCheck() {
            @Override
            protected Result check() {
                return scheduler.isRunning() ? Result.healthy() : Result.unhealthy("db-scheduler not running");
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
