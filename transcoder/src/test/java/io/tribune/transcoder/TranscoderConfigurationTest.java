package io.tribune.transcoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tribune.transcoder.pipeline.Rung;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscoderConfigurationTest {

    private final YamlConfigurationFactory<TranscoderConfiguration> factory = new YamlConfigurationFactory<>(
            TranscoderConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    @Test
    void theExampleConfigurationIsValidAndHasTheDefaultLadder() throws Exception {
        TranscoderConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                new File("config/transcoder.example.yml").getPath());
        assertThat(config.ladder().rungs()).extracting(Rung::name).containsExactly("1080p", "720p", "480p", "360p");
        assertThat(config.getTownHalls()).hasSize(1);
        assertThat(config.getTownHalls().get(0).getSrtPort()).isEqualTo(9000);
        assertThat(config.getEncoder().settings().gopFrames()).isEqualTo(60);
        assertThat(config.getStage().enabled()).as("stage town halls are off without TRIBUNE_REDIS_URI")
                .isEqualTo(System.getenv("TRIBUNE_REDIS_URI") != null);
        assertThat(config.getStage().getRtpPortBase()).isEqualTo(20000);
        assertThat(config.getStage().refresh()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(config.getStage().leaseTtl()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(config.getStage().instanceId()).as("a generated instance id").isNotBlank();
    }

    @Test
    void aLeaseThatALateRenewalCouldMissOrABadInstanceIdIsRefused(@TempDir Path dir) throws Exception {
        Path shortLease = dir.resolve("lease.yml");
        Files.writeString(shortLease, "stage: {redis: \"redis://127.0.0.1:6379\", refresh: 3 seconds,"
                + " leaseTtl: 5 seconds}\n");
        Assertions.assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), shortLease.toString()))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("leaseTtl");
        Path badId = dir.resolve("id.yml");
        Files.writeString(badId, "stage: {redis: \"redis://127.0.0.1:6379\", instanceId: \"a b\"}\n");
        Assertions.assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), badId.toString()))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("instanceId");
        Path named = dir.resolve("named.yml");
        Files.writeString(named, "stage: {redis: \"redis://127.0.0.1:6379\", instanceId: transcoder-2}\n");
        assertThat(factory.build(new FileConfigurationSourceProvider(), named.toString()).getStage().settings()
                .instanceId()).isEqualTo("transcoder-2");
    }

    @Test
    void aStagePortRangeThatIsOddOrRunsPastTheLastPortIsRefused(@TempDir Path dir) throws Exception {
        Path odd = dir.resolve("odd.yml");
        Files.writeString(odd, "stage: {redis: \"redis://127.0.0.1:6379\", rtpPortBase: 20001}\n");
        Assertions.assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), odd.toString()))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("rtpPortBase");
        Path past = dir.resolve("past.yml");
        Files.writeString(past, "stage: {redis: \"redis://127.0.0.1:6379\", rtpPortBase: 65000, maxTownHalls: 9}\n");
        Assertions.assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), past.toString()))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("rtpPortBase");
        Path notRedis = dir.resolve("uri.yml");
        Files.writeString(notRedis, "stage: {redis: \"http://127.0.0.1:6379\"}\n");
        Assertions.assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), notRedis.toString()))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("redis://");
    }

    @Test
    void aShortStreamKeyIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yml");
        Files.writeString(file, "townHalls:\n  - {eventId: demo, streamKey: short, srtPort: 9000}\n");
        Assertions.assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), file.toString()))
                .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("streamKey");
    }
}
