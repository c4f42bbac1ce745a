package io.tribune.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

class SfuConfigurationTest {

    @Test
    void theExampleConfigurationIsValidAndMatchesTheDefaults() throws Exception {
        SfuConfiguration config = new YamlConfigurationFactory<>(SfuConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)), "config/sfu.example.yml");
        SfuConfiguration defaults = new SfuConfiguration();
        assertThat(config.getMedia().port).isEqualTo(10000);
        assertThat(config.getMedia().consentTimeout).isEqualTo(defaults.getMedia().consentTimeout);
        assertThat(config.getMedia().consentCheckInterval).isEqualTo(defaults.getMedia().consentCheckInterval);
        assertThat(config.getSignaling().messagesPerSecond).isEqualTo(defaults.getSignaling().messagesPerSecond);
        assertThat(config.getSignaling().floodCloseAfter).isEqualTo(defaults.getSignaling().floodCloseAfter);
        assertThat(config.getTokens().leeway).isEqualTo(defaults.getTokens().leeway);
    }
}
