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
 * What the writers of the services' configuration files share: the file itself (owner-only, since most hold
 * passwords), a loopback HTTP connector, and JSON logs on the console. Stateless.
 */
final class ServiceConfigFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private ServiceConfigFiles() {
    }

    /** Writes {@code root} as YAML to {@code <configDir>/<name>}, readable by the owner only. */
    static Path write(Settings settings, String name, Map<String, Object> root) {
        Path file = settings.configDir().resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "# Written by `tribune up` at every start; edit ops settings instead.\n"
                    + YAML.writeValueAsString(root));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** A Dropwizard HTTP connector on 127.0.0.1. */
    static Map<String, Object> connector(int port) {
        Map<String, Object> connector = new LinkedHashMap<>();
        connector.put("type", "http");
        connector.put("bindHost", "127.0.0.1");
        connector.put("port", port);
        return connector;
    }

    /** A worker's {@code server}: no application port, only the admin one (health checks, metrics). */
    static Map<String, Object> adminOnlyServer(int adminPort) {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("applicationConnectors", List.of());
        server.put("adminConnectors", List.of(connector(adminPort)));
        return server;
    }

    /**
     * Dropwizard's {@code database} on the platform's PostgreSQL; {@code maxSize} 0 keeps Dropwizard's pool sizes,
     * otherwise a pool of 1 to {@code maxSize} connections.
     */
    static Map<String, Object> database(PlatformUrls urls, int maxSize) {
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("driverClass", "org.postgresql.Driver");
        database.put("url", urls.jdbcUrl());
        database.put("user", urls.dbUser());
        database.put("password", urls.dbPassword() == null ? "" : urls.dbPassword());
        if (maxSize > 0) {
            database.put("minSize", 1);
            database.put("initialSize", 1);
            database.put("maxSize", maxSize);
        }
        return database;
    }

    /** Dropwizard logging: INFO, JSON lines on the console (the supervisor sends them to the service's log). */
    static Map<String, Object> jsonConsoleLogging() {
        return Map.of("level", "INFO",
                "appenders", List.of(Map.of("type", "console", "layout", Map.of("type", "json"))));
    }
}
