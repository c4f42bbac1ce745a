package io.tribune.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tribune.hls.live.LiveSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HlsPackagerConfigurationTest {

    @Test
    void exampleConfigurationIsValidAndMatchesTheDefaults() throws Exception {
        YamlConfigurationFactory<HlsPackagerConfiguration> factory = new YamlConfigurationFactory<>(
                HlsPackagerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        HlsPackagerConfiguration configuration = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                "config/hls-packager.example.yml");
        LiveSettings settings = configuration.getLive().settings();
        assertThat(settings).isEqualTo(LiveSettings.defaults());
        assertThat(settings.partHoldBack()).isEqualTo(Duration.ofMillis(1200));
        assertThat(configuration.getIngest().getPort()).isEqualTo(9935);
        assertThat(configuration.getSignatures().isRequired()).isTrue();
        assertThat(configuration.getSignatures().getTrustedKeys()).containsKey("K2JCJMDEHXQW5F");
        assertThat(configuration.getStorage().getPrefix()).isEqualTo("hls/");
    }
}
