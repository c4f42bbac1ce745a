package io.tribune.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.tribune.api.db.DatabaseMigrator;

/** {@code migrations}: healthy once the database schema is migrated. Thread-safe. */
public final class MigrationsHealthCheck extends HealthCheck {

    public static final String NAME = "migrations";

    private final DatabaseMigrator migrator;

    public MigrationsHealthCheck(DatabaseMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    protected Result check() {
        if (migrator.isReady()) {
            return Result.healthy();
        }
        String error = migrator.lastError();
        return Result.unhealthy("schema not migrated yet" + (error == null ? "" : ": " + error));
    }
}
