package io.tribune.api.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/** api-server's Flyway migrations ({@code classpath:db/migration}), applied to the {@code public} schema. */
public final class Migrations {

    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                // Keep running instances safe: a migration already applied with different content is an error.
                .validateOnMigrate(true)
                .load();
    }

    /** Applies pending migrations; a no-op when the schema is current. Safe to run from several instances. */
    public static MigrateResult migrate(DataSource dataSource) {
        return flyway(dataSource).migrate();
    }
}
