package io.tribune.api.db;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PlatformExtension.class)
class DbCommandIT {

    private static String database;
    private static String jdbcUrl;

    @TempDir
    static Path dir;

    /** A database of its own, so the command finds an empty schema whatever other tests did. */
    @BeforeAll
    static void createDatabase(PlatformUrls urls) throws Exception {
        database = "db_command_it_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(), urls.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        jdbcUrl = urls.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    private static String run(String... args) throws Exception {
        PlatformUrls urls = TestApps.urls();
        String config = Files.readString(Path.of(TestApps.CONFIG))
                .replace("url: jdbc:postgresql://127.0.0.1:1/overridden", "url: " + jdbcUrl)
                .replace("user: overridden", "user: " + urls.dbUser())
                .replace("password: overridden", "password: " + urls.dbPassword());
        Path file = dir.resolve("api-server.yml");
        Files.writeString(file, config);
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.add(file.toString());

        ApiServerApplication application = new ApiServerApplication();
        Bootstrap<ApiServerConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new JarLocation(ApiServerApplication.class), bootstrap, out, err);
        // The command prints its result to System.out.
        PrintStream originalOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Optional<Throwable> failure;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            failure = cli.run(arguments.toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
        }
        String output = printed.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)
                + err.toString(StandardCharsets.UTF_8);
        assertThat(failure).as(output).isEmpty();
        return output;
    }

    private static List<String> tables() throws Exception {
        PlatformUrls urls = TestApps.urls();
        List<String> tables = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, urls.dbUser(), urls.dbPassword());
             ResultSet rs = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    @Nested
    class WhenTheSchemaIsEmpty {

        @Test
        void migrateCreatesTheOutboxAndProcessedEventsTablesAndInfoListsThem() throws Exception {
            String migrated = run("db", "migrate");
            String info = run("db", "info");

            // From an empty schema every migration is applied: as many as the version reached, however many exist.
            assertThat(migrated).containsPattern("Applied ([1-9][0-9]*) migration\\(s\\); schema version \\1\\b");
            assertThat(tables()).contains("outbox", "processed_events", "users", "meetings", "flyway_schema_history");
            assertThat(info).contains("outbox").contains("Success");
            assertThat(run("db", "migrate")).as("running it again changes nothing")
                    .contains("Applied 0 migration(s)");
        }
    }
}
