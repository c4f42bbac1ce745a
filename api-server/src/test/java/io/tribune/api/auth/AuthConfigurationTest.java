package io.tribune.api.auth;

import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class AuthConfigurationTest {

    private final Validator validator = Validators.newValidator();

    private static AuthConfiguration.BootstrapAdminConfiguration admin(String email, String password) {
        AuthConfiguration.BootstrapAdminConfiguration admin = new AuthConfiguration.BootstrapAdminConfiguration();
        admin.setEmail(email);
        admin.setPassword(password);
        return admin;
    }

    private Set<String> problems(AuthConfiguration.BootstrapAdminConfiguration admin) {
        AuthConfiguration auth = new AuthConfiguration();
        auth.setBootstrapAdmin(admin);
        return validator.validate(auth).stream().map(ConstraintViolation::getMessage)
                .collect(Collectors.toSet());
    }

    @Test
    void acceptsTheDefaultsWithoutABootstrapAdmin() {
        assertThat(validator.validate(new AuthConfiguration())).isEmpty();
        assertThat(new AuthConfiguration().hasBootstrapAdmin()).isFalse();
    }

    @Test
    void treatsABlankEmailAsNoBootstrapAdmin() {
        AuthConfiguration auth = new AuthConfiguration();
        auth.setBootstrapAdmin(admin("", ""));

        assertThat(validator.validate(auth)).isEmpty();
        assertThat(auth.hasBootstrapAdmin()).isFalse();
    }

    @Test
    void acceptsAnAdminWithAnAddressAndAGoodPassword() {
        assertThat(problems(admin("root@example.org", "a good long admin secret"))).isEmpty();
    }

    @Test
    void refusesAWeakOrMissingBootstrapPassword() {
        assertThat(problems(admin("root@example.org", "1234567890")))
                .anyMatch(message -> message.contains("bootstrapAdmin.password"));
        assertThat(problems(admin("root@example.org", null)))
                .anyMatch(message -> message.contains("bootstrapAdmin.password"));
    }

    @Test
    void refusesABootstrapEmailThatIsNotAnAddress() {
        assertThat(problems(admin("root", "a good long admin secret")))
                .anyMatch(message -> message.contains("bootstrapAdmin.email"));
    }

    @Test
    void derivesArgon2ParametersFromTheConfiguredMemory() {
        assertThat(new AuthConfiguration().getPasswordHashing().parameters())
                .isEqualTo(PasswordHasher.Parameters.OWASP);
    }
}
