package io.tribune.api.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.AdminEnvironment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code GET /prometheus} on the admin port: the application's Dropwizard metrics (Jetty, Jersey, JDBI, the
 * outbox, ...) plus the Prometheus JVM metrics, in the text exposition format.
 *
 * <p>Each application gets its own {@link PrometheusRegistry} rather than the JVM-wide default one, so that
 * several instances in one JVM (integration tests) do not collide.
 */
public final class PrometheusMetrics {

    public static final String PATH = "/prometheus";

    private PrometheusMetrics() {
    }

    public static PrometheusRegistry register(MetricRegistry metrics, AdminEnvironment admin) {
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder().dropwizardRegistry(metrics).register(registry);
        JvmMetrics.builder().register(registry);
        admin.addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
        return registry;
    }
}
