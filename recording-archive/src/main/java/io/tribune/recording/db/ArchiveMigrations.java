package io.tribune.recording.db;

import io.dropwizard.lifecycle.Managed;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's Flyway migrations ({@code classpath:db/recording_archive}), applied to its own schema
 * {@value #SCHEMA} with its own history table there: the api-server's schema and migrations are never touched.
 * Runs at start (before the consumer, which needs the tables); several instances may start at
 * once (Flyway locks).
 */
public final class ArchiveMigrations implements Managed {

    public static final String SCHEMA = "recording_archive";
    public static final String LOCATION = "classpath:db/recording_archive";
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveMigrations.class);

    private final DataSource dataSource;
    private final boolean enabled;

    public ArchiveMigrations(DataSource dataSource, boolean enabled) {
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
