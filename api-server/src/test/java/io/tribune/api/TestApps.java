package io.tribune.api;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** api-server instances for integration tests, wired to the shared embedded platform. */
public final class TestApps {

    public static final String CONFIG = ResourceHelpers.resourceFilePath("api-server-test.yml");

    /** The JWK set every app of this JVM signs with (created by the first app), deleted when the JVM exits. */
    private static final Path SIGNING_KEYS = createKeysDirectory().resolve("signing-keys.jwks.json");

    /** The meetings server key every app of this JVM uses (created by the first app), beside the signing keys. */
    private static final Path PASSCODE_KEY = SIGNING_KEYS.resolveSibling("meetings-passcode.key");

    private TestApps() {
    }

    /** An api-server against the JVM's shared platform (started on first use); {@code extra} overrides win. */
    public static DropwizardAppExtension<ApiServerConfiguration> onPlatform(
            Class<? extends Application<ApiServerConfiguration>> application, ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", () -> urls().jdbcUrl()),
                ConfigOverride.config("database.user", () -> urls().dbUser()),
                ConfigOverride.config("database.password", () -> urls().dbPassword()),
                ConfigOverride.config("kafka.bootstrapServers", () -> urls().kafkaBootstrap()),
                ConfigOverride.config("redis.uri", () -> urls().redisUri()),
                ConfigOverride.config("auth.signingKeysFile", SIGNING_KEYS.toString()),
                ConfigOverride.config("meetings.passcodeKeyFile", PASSCODE_KEY.toString()),
                ConfigOverride.config("files.bucket", "tribune-files"),
                ConfigOverride.config("files.endpoint", () -> urls().s3Endpoint()),
                ConfigOverride.config("files.region", () -> urls().s3Region()),
                ConfigOverride.config("files.accessKey", () -> urls().s3AccessKey()),
                ConfigOverride.config("files.secretKey", () -> urls().s3SecretKey())));
        overrides.addAll(Arrays.asList(extra));
        return new DropwizardAppExtension<>(application, CONFIG, overrides.toArray(ConfigOverride[]::new));
    }

    public static PlatformUrls urls() {
        return PlatformExtension.platform().urls();
    }

    /** A new Redisson client of the shared platform's Redis (the caller shuts it down). */
    public static RedissonClient redis() {
        Config config = new Config();
        config.useSingleServer().setAddress(urls().redisUri());
        return Redisson.create(config);
    }

    /** The meetings server key file the apps use. */
    public static Path passcodeKeyFile() {
        return PASSCODE_KEY;
    }

    /** The signing-keys file the apps use. */
    public static Path signingKeysFile() {
        return SIGNING_KEYS;
    }

    private static Path createKeysDirectory() {
        try {
            Path directory = Files.createTempDirectory("tribune-it-keys");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(directory), "delete-it-keys"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
