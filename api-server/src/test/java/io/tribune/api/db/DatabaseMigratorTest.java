package io.tribune.api.db;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseMigratorTest {

    @Test
    void treatsARefusedConnectionAsWorthRetrying() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
                new ConnectException("Connection refused"));

        assertThat(DatabaseMigrator.isConnectionFailure(new FlywayException("Unable to obtain connection", refused)))
                .isTrue();
    }

    @Test
    void treatsABrokenMigrationAsFatal() {
        SQLException syntax = new SQLException("syntax error at or near \"CREAT\"", "42601");

        assertThat(DatabaseMigrator.isConnectionFailure(new FlywayException("Migration V2 failed", syntax))).isFalse();
    }
}
