package io.tribune.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The database login the running platform handed to the api-server, read back from the generated (owner-only)
 * {@code config/api-server.yml}, so {@code status} can log in without the credentials being stored twice.
 */
record DbSecrets(String user, String password) {

    static DbSecrets read(Settings settings) {
        Path file = settings.configDir().resolve("api-server.yml");
        try {
            JsonNode database = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("database");
            return new DbSecrets(database.path("user").asText(""), database.path("password").asText(""));
        } catch (IOException e) {
            return new DbSecrets("", "");
        }
    }
}
