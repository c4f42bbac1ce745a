package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPlatformTest {

    @TempDir
    Path dataDir;

    @Test
    void requiresDataDirectory() {
        assertThatThrownBy(() -> EmbeddedPlatform.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataDir is required");
    }

    @Test
    void rejectsTwoPartsOnOneFixedPort() {
        assertThatThrownBy(() -> EmbeddedPlatform.builder().dataDir(dataDir).kafkaPort(9000).s3Port(9000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kafka and s3 both ask for port 9000");
    }

    @Test
    void fixedPortOfAnExternalPartDoesNotCount() {
        EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir)
                .kafkaPort(9000).s3Port(9000).externalS3("http://s3.example:9000", "a", "b", "eu-west-1")
                .build();
        assertThat(platform.s3()).isNull();
        assertThat(platform.kafka().port()).isEqualTo(9000);
    }

    @Test
    void refusesUrlsBeforeEmbeddedPartsStarted() {
        EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir).build();
        assertThatThrownBy(platform::urls).isInstanceOf(IllegalStateException.class);
        assertThat(platform.components()).extracting(Component::name)
                .containsExactly("postgres", "kafka", "redis", "s3");
        assertThat(platform.components()).noneMatch(Component::isRunning);
    }

    @Nested
    class WhenEveryPartIsExternal {

        private EmbeddedPlatform platform;

        @BeforeEach
        void buildWithEveryPartExternal() {
            platform = EmbeddedPlatform.builder()
                    .dataDir(dataDir)
                    .externalPostgres("jdbc:postgresql://db.example:5432/tribune", "app", "secret")
                    .externalKafka("kafka-1.example:9092,kafka-2.example:9092")
                    .externalRedis("redis://127.0.0.1:1")
                    .externalS3("https://s3.eu-west-1.amazonaws.com", "AKIA", "s3cr3t", "eu-west-1")
                    .build();
        }

        @Test
        void startsNothingAndReportsTheExternalUrls() throws Exception {
            platform.start();

            assertThat(platform.components()).isEmpty();
            assertThat(platform.postgres()).isNull();
            assertThat(platform.kafka()).isNull();
            assertThat(platform.redis()).isNull();
            assertThat(platform.s3()).isNull();
            assertThat(platform.urls()).isEqualTo(new PlatformUrls("jdbc:postgresql://db.example:5432/tribune",
                    "app", "secret", "kafka-1.example:9092,kafka-2.example:9092", "redis://127.0.0.1:1",
                    "https://s3.eu-west-1.amazonaws.com", "AKIA", "s3cr3t", "eu-west-1"));
            platform.close();
            platform.close();
        }

        @Test
        void logsUrlsWithoutSecrets() throws Exception {
            platform.start();
            assertThat(platform.urls().toString()).doesNotContain("secret").doesNotContain("s3cr3t")
                    .contains("kafka-1.example:9092");
        }
    }
}
