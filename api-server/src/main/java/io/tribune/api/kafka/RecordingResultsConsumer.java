package io.tribune.api.kafka;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.core.RecordingCatalogue;
import io.tribune.api.db.DatabaseMigrator;
import io.tribune.api.notify.RecordingReadyNotifier;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.JdbcProcessedEvents;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.RecordingEvents;
import io.tribune.events.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the recordings catalogue in step with recording-archive: reads {@code tribune.recordings} as the consumer
 * group {@code recordings.consumerGroup} (common's consumer kit) and applies {@code recording.ready} and
 * {@code recording.failed} to the catalogue; {@code recording.started} / {@code stopped} are the api-server's own
 * and are skipped. Each event's update and its processed mark commit in one transaction, so a redelivered event
 * changes nothing; an event naming a recording the catalogue does not know goes to the dead-letter topic. With a
 * {@link RecordingReadyNotifier}, the host is notified in the same transaction.
 *
 * <p>The consumer starts once the migrations are done (a background thread waits for them). Thread-safe.
 */
public final class RecordingResultsConsumer implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingResultsConsumer.class);
    private static final String PROCESSED_TABLE = "processed_events";

    private final ConsumerSettings settings;
    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final RecordingCatalogue catalogue;
    private final MetricRegistry metrics;
    private volatile RecordingReadyNotifier readyNotifier;
    private final AfterMigrations starting;

    public RecordingResultsConsumer(String bootstrapServers, String group, Jdbi jdbi, DataSource dataSource,
                                    RecordingCatalogue catalogue, DatabaseMigrator migrator, MetricRegistry metrics) {
        this.settings = ConsumerSettings.of(bootstrapServers, group, List.of(Topics.RECORDINGS))
                .withRetries(5, Duration.ofMillis(500), Duration.ofSeconds(10));
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.catalogue = catalogue;
        this.starting = new AfterMigrations("recording results", migrator, this::create);
        this.metrics = metrics;
    }

    /** Notify hosts of ready recordings (call before {@link #start()}). */
    public RecordingResultsConsumer notifying(RecordingReadyNotifier notifier) {
        this.readyNotifier = notifier;
        return this;
    }

    @Override
    public void start() {
        starting.start();
    }

    private EventConsumer create() {
        JdbcProcessedEvents processed = new JdbcProcessedEvents(dataSource, PROCESSED_TABLE, settings.group());
        EventConsumer consumer = EventConsumer.create(settings, event -> handle(event, processed), processed, metrics);
        LOG.info("Following recording results on {} as {}", Topics.RECORDINGS, settings.group());
        return consumer;
    }

    private void handle(Event event, JdbcProcessedEvents processed) throws SQLException {
        if (!(event.data() instanceof RecordingEvents.Ready) && !(event.data() instanceof RecordingEvents.Failed)) {
            return; // started / stopped: written by the api-server itself
        }
        boolean known = jdbi.<Boolean, SQLException>inTransaction(handle -> {
            if (!processed.markProcessed(handle.getConnection(), event.id())) {
                return true; // handled before (a redelivery)
            }
            if (event.data() instanceof RecordingEvents.Ready ready) {
                boolean applied = catalogue.applyReady(handle, ready);
                RecordingReadyNotifier notifier = readyNotifier;
                if (applied && notifier != null) {
                    notifier.ready(handle, ready);
                }
                return applied;
            }
            return catalogue.applyFailed(handle, (RecordingEvents.Failed) event.data());
        });
        if (!known) {
            throw new PoisonEventException("no recording " + recordingId(event) + " in the catalogue");
        }
    }

    private static String recordingId(Event event) {
        return event.data() instanceof RecordingEvents.Ready ready ? ready.recordingId()
                : ((RecordingEvents.Failed) event.data()).recordingId();
    }

    /** The running consumer, or null before the migrations finished (for health and tests). */
    public EventConsumer consumer() {
        return starting.consumer();
    }

    @Override
    public void stop() {
        starting.stop();
    }
}
