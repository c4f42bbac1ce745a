package io.tribune.ops;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsStartEverythingEmbeddedUnderDotTribune() {
        Settings settings = Settings.load(null, Map.of());

        assertThat(settings.dataDir()).isEqualTo(Path.of(".tribune").toAbsolutePath().normalize());
        assertThat(settings.ports()).isEqualTo(Settings.Ports.defaults());
        assertThat(settings.external()).isEqualTo(Settings.External.none());
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path file = dir.resolve("tribune.yml");
        Files.writeString(file, "dataDir: /srv/tribune\nports:\n  api: 9090\n  kafka: 29092\n");

        Settings settings = Settings.load(file, Map.of("TRIBUNE_API_PORT", "7070", "TRIBUNE_DATA_DIR", "/data/t",
                "TRIBUNE_STAGE_RTP_PORT", "30000"));

        assertThat(settings.ports().api()).isEqualTo(7070);
        assertThat(settings.ports().stageRtp()).isEqualTo(30000);
        assertThat(settings.ports().kafka()).isEqualTo(29092);
        assertThat(settings.ports().redis()).isEqualTo(Settings.Ports.defaults().redis());
        assertThat(settings.dataDir()).isEqualTo(Path.of("/data/t"));
    }

    @Test
    void externalPartsReplaceEmbeddedOnes() throws Exception {
        Path file = dir.resolve("tribune.yml");
        Files.writeString(file, """
                external:
                  postgres: {url: "jdbc:postgresql://db:5432/tribune", user: t, password: p}
                  redis: {uri: "redis://cache:6379"}
                """);

        Settings settings = Settings.load(file, Map.of("TRIBUNE_KAFKA_BOOTSTRAP", "k1:9092,k2:9092"));

        assertThat(settings.external().postgres().url()).isEqualTo("jdbc:postgresql://db:5432/tribune");
        assertThat(settings.external().redis().uri()).isEqualTo("redis://cache:6379");
        assertThat(settings.external().kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(settings.external().s3()).isNull();
    }

    @Nested
    class WhenTheSettingsAreInvalid {

        @Test
        void anUnknownKeyIsNamed() throws Exception {
            Path file = dir.resolve("tribune.yml");
            Files.writeString(file, "ports:\n  apii: 9090\n");

            assertThatThrownBy(() -> Settings.load(file, Map.of()))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("ports.apii");
        }

        @Test
        void aPortThatIsNotANumberIsNamed() {
            assertThatThrownBy(() -> Settings.load(null, Map.of("TRIBUNE_REDIS_PORT", "six")))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("TRIBUNE_REDIS_PORT");
        }

        @Test
        void aPortOutOfRangeIsRefused() {
            assertThatThrownBy(() -> Settings.load(null, Map.of("TRIBUNE_S3_PORT", "70000")))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("70000");
        }

        @Test
        void aNonJdbcDatabaseUrlIsRefused() {
            assertThatThrownBy(() -> Settings.load(null, Map.of("TRIBUNE_DATABASE_URL", "postgres://db/x")))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("external.postgres.url");
        }

        @Test
        void aMissingConfigFileIsNamed() {
            assertThatThrownBy(() -> Settings.load(dir.resolve("nope.yml"), Map.of()))
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("nope.yml");
        }
    }
}
