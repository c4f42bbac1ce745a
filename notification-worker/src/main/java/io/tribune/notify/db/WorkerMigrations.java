package io.tribune.notify.db;

import io.dropwizard.lifecycle.Managed;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Flyway migrations ({@code classpath:db/notification}), applied to its own schema
 * {@value #SCHEMA} with its own history table there: the api-server's schema and migrations are never touched.
 * Runs at start (before the consumer and the scheduler, which need the tables); several instances may start at
 * once (Flyway locks).
 */
public final class WorkerMigrations implements Managed {

    public static final String SCHEMA = "notification";
    public static final String LOCATION = "classpath:db/notification";
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMigrations.class);

    private final DataSource dataSource;
    private final boolean enabled;

    public WorkerMigrations(DataSource dataSource, boolean enabled) {
        this.dataSource = dataSource;
        this.enabled = enabled;
    }

    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations(LOCATION)
                .validateOnMigrate(true)
                .load();
    }

    @Override
    public void start() {
        if (!enabled) {
            LOG.info("migrateOnStart is false: assuming schema {} is current", SCHEMA);
            return;
        }
        MigrateResult result = flyway(dataSource).migrate();
        LOG.info("schema {} at version {} ({} migration(s) applied)", SCHEMA,
                result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
                result.migrationsExecuted);
    }
}
