package io.tribune.api;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** api-server instances for integration tests, wired to the shared embedded platform. */
public final class TestApps {

    public static final String CONFIG = ResourceHelpers.resourceFilePath("api-server-test.yml");

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
                ConfigOverride.config("redis.uri", () -> urls().redisUri())));
        overrides.addAll(Arrays.asList(extra));
        return new DropwizardAppExtension<>(application, CONFIG, overrides.toArray(ConfigOverride[]::new));
    }

    public static PlatformUrls urls() {
        return PlatformExtension.platform().urls();
    }
}
