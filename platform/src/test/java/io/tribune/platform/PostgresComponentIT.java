package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresComponentIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsCommittedRowsAcrossRestartOnSameDataDir() throws Exception {
        try (PostgresComponent postgres = new PostgresComponent(dataDir, 0)) {
            postgres.start();
            int port = postgres.port();
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/tribune");
            try (Connection c = connect(postgres); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE meetings (id int PRIMARY KEY, title text)");
                s.execute("INSERT INTO meetings VALUES (1, 'standup')");
            }

            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
            postgres.start();

            assertThat(postgres.port()).isEqualTo(port);
            try (Connection c = connect(postgres); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT title FROM meetings WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("standup");
            }
        }
        assertThat(Files.isRegularFile(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
    }

    @Test
    void newComponentOnExistingDataDirFindsTheData() throws Exception {
        try (PostgresComponent first = new PostgresComponent(dataDir, 0)) {
            first.start();
            try (Connection c = connect(first); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('yes')");
            }
        }
        try (PostgresComponent second = new PostgresComponent(dataDir, 0)) {
            second.start();
            try (Connection c = connect(second); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("yes");
            }
        }
    }

    @Test
    void reportsVersionAndIsIdempotent() throws Exception {
        try (PostgresComponent postgres = new PostgresComponent(dataDir, 0)) {
            postgres.start();
            postgres.start();
            assertThat(postgres.version()).startsWith("PostgreSQL 14.");
            assertThat(postgres.isRunning()).isTrue();
            postgres.stop();
            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
        }
    }

    @Test
    void refusesPortInUseWithMessageNamingTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            PostgresComponent postgres = new PostgresComponent(dataDir, port);
            assertThatThrownBy(postgres::start)
                    .hasMessage("port " + port + " is already in use (postgres); set TRIBUNE_POSTGRES_PORT or stop"
                            + " the other process");
            assertThat(postgres.isRunning()).isFalse();
        }
    }

    private static Connection connect(PostgresComponent postgres) throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
