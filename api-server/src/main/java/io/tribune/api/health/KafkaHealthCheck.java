package io.tribune.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kafka}: healthy when the cluster answers {@code DescribeCluster} within {@code kafka.healthCheckTimeout}.
 * Owns a small admin client (started and closed with the application) that reconnects by itself.
 *
 * <p>Thread-safe: {@link Admin} is.
 */
public final class KafkaHealthCheck extends HealthCheck implements Managed {

    public static final String NAME = "kafka";

    private final Map<String, Object> adminProperties;
    private final Duration timeout;
    private volatile Admin admin;

    public KafkaHealthCheck(KafkaConfiguration configuration) {
        this.timeout = Duration.ofMillis(configuration.getHealthCheckTimeout().toMilliseconds());
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, configuration.getBootstrapServers().trim());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, configuration.getClientId() + "-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        this.adminProperties = props;
    }

    @Override
    public void start() {
        admin = Admin.create(adminProperties);
    }

    @Override
    public void stop() {
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(2));
        }
    }

    @Override
    protected Result check() throws InterruptedException {
        Admin current = admin;
        if (current == null) {
            return Result.unhealthy("Kafka admin client not started");
        }
        long timeoutMs = timeout.toMillis();
        DescribeClusterResult cluster = current.describeCluster(
                new DescribeClusterOptions().timeoutMs((int) timeoutMs));
        try {
            String clusterId = cluster.clusterId().get(timeoutMs + 500, TimeUnit.MILLISECONDS);
            Collection<Node> nodes = cluster.nodes().get(timeoutMs + 500, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                return Result.unhealthy("Kafka cluster " + clusterId + " reports no brokers");
            }
            return Result.healthy("cluster " + clusterId + ", " + nodes.size() + " broker(s)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Result.unhealthy("Kafka unreachable: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage());
        } catch (TimeoutException e) {
            return Result.unhealthy("Kafka did not answer within " + timeoutMs + " ms");
        }
    }
}
