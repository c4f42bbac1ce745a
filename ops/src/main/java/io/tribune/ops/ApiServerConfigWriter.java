package io.tribune.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tribune.platform.PlatformUrls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the api-server's Dropwizard configuration for one {@code tribune up}: the URLs of the parts the platform
 * started (or the external ones), the ports, and JSON logs. The file documents nothing itself: every key is
 * explained in {@code api-server/config/api-server.example.yml}.
 */
final class ApiServerConfigWriter {

    private ApiServerConfigWriter() {
    }

    static Path write(Settings settings, PlatformUrls urls) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("applicationConnectors", List.of(connector(settings.ports().api())));
        server.put("adminConnectors", List.of(connector(settings.ports().admin())));
        server.put("requestLog", Map.of("appenders", List.of(Map.of(
                "type", "file",
                "currentLogFilename", settings.logDir().resolve("api-server-access.log").toString(),
                "archive", false,
                "layout", Map.of("type", "access-json")))));
        root.put("server", server);

        Map<String, Object> database = new LinkedHashMap<>();
        database.put("driverClass", "org.postgresql.Driver");
        database.put("url", urls.jdbcUrl());
        database.put("user", urls.dbUser());
        database.put("password", urls.dbPassword() == null ? "" : urls.dbPassword());
        root.put("database", database);
        root.put("migrateOnStart", true);
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap(), "clientId", "api-server"));
        root.put("redis", Map.of("uri", urls.redisUri()));
        root.put("outbox", Map.of("pollInterval", "250 milliseconds", "batchSize", 500));
        root.put("publicUrl", publicUrl(settings));
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("signingKeysFile", Secrets.signingKeysFile(settings).toString());
        auth.put("bootstrapAdmin", Map.of("email", Secrets.ADMIN_EMAIL, "password", Secrets.adminPassword(settings),
                "username", "admin"));
        root.put("auth", auth);
        root.put("meetings", Map.of("passcodeKeyFile", Secrets.passcodeKeyFile(settings).toString(),
                "signalingUrl", SfuConfigWriter.signalingUrl(settings)));
        root.put("logging", Map.of(
                "level", "INFO",
                "appenders", List.of(Map.of("type", "console", "layout", Map.of("type", "json")))));

        Path file = settings.configDir().resolve("api-server.yml");
        try {
            Files.createDirectories(file.getParent());
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
            Files.writeString(file, "# Written by `tribune up` at every start; edit ops settings instead.\n"
                    + yaml.writeValueAsString(root));
            // It holds the database and admin passwords.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    static String publicUrl(Settings settings) {
        return "http://127.0.0.1:" + settings.ports().api();
    }

    private static Map<String, Object> connector(int port) {
        Map<String, Object> connector = new LinkedHashMap<>();
        connector.put("type", "http");
        connector.put("bindHost", "127.0.0.1");
        connector.put("port", port);
        return connector;
    }
}
