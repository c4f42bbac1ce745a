package io.tribune.api.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.tribune.api.api.FieldRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@code auth:} section: token signing and lifetimes, password hashing, login throttling and the bootstrap
 * admin. {@code config/api-server.example.yml} documents every key. Mutable only while being read.
 */
public class AuthConfiguration {

    /** {@code iss} of the tokens api-server signs; null means the configuration's {@code publicUrl}. */
    @Size(min = 1, max = 500)
    private String issuer;

    /**
     * The JWK set with the ES256 signing keys (private parts, owner-only permissions). Created with a fresh key
     * when missing. Every api-server instance of a deployment must use the same file (or a copy of it).
     */
    @NotNull
    private Path signingKeysFile = Path.of("signing-keys.jwks.json");

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration accessTokenTtl = Duration.minutes(15);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    @MaxDuration(value = 365, unit = TimeUnit.DAYS)
    private Duration refreshTokenTtl = Duration.days(30);

    /** How far the clocks of issuer and verifier may disagree when checking {@code exp} and {@code nbf}. */
    @NotNull
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    private Duration clockSkew = Duration.seconds(30);

    @NotNull
    @MinDuration(value = 5, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 30, unit = TimeUnit.DAYS)
    private Duration emailVerificationTtl = Duration.hours(24);

    @NotNull
    @MinDuration(value = 5, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 7, unit = TimeUnit.DAYS)
    private Duration passwordResetTtl = Duration.hours(1);

    @Valid
    @NotNull
    private PasswordHashingConfiguration passwordHashing = new PasswordHashingConfiguration();

    @Valid
    @NotNull
    private LoginThrottleConfiguration loginThrottle = new LoginThrottleConfiguration();

    /** Optional; absent or with a blank email: no bootstrap admin. */
    @Valid
    private BootstrapAdminConfiguration bootstrapAdmin;

    @JsonProperty
    public String getIssuer() {
        return issuer;
    }

    @JsonProperty
    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    @JsonProperty
    public Path getSigningKeysFile() {
        return signingKeysFile;
    }

    @JsonProperty
    public void setSigningKeysFile(Path signingKeysFile) {
        this.signingKeysFile = signingKeysFile;
    }

    @JsonProperty
    public Duration getAccessTokenTtl() {
        return accessTokenTtl;
    }

    @JsonProperty
    public void setAccessTokenTtl(Duration accessTokenTtl) {
        this.accessTokenTtl = accessTokenTtl;
    }

    @JsonProperty
    public Duration getRefreshTokenTtl() {
        return refreshTokenTtl;
    }

    @JsonProperty
    public void setRefreshTokenTtl(Duration refreshTokenTtl) {
        this.refreshTokenTtl = refreshTokenTtl;
    }

    @JsonProperty
    public Duration getClockSkew() {
        return clockSkew;
    }

    @JsonProperty
    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    @JsonProperty
    public Duration getEmailVerificationTtl() {
        return emailVerificationTtl;
    }

    @JsonProperty
    public void setEmailVerificationTtl(Duration emailVerificationTtl) {
        this.emailVerificationTtl = emailVerificationTtl;
    }

    @JsonProperty
    public Duration getPasswordResetTtl() {
        return passwordResetTtl;
    }

    @JsonProperty
    public void setPasswordResetTtl(Duration passwordResetTtl) {
        this.passwordResetTtl = passwordResetTtl;
    }

    @JsonProperty
    public PasswordHashingConfiguration getPasswordHashing() {
        return passwordHashing;
    }

    @JsonProperty
    public void setPasswordHashing(PasswordHashingConfiguration passwordHashing) {
        this.passwordHashing = passwordHashing;
    }

    @JsonProperty
    public LoginThrottleConfiguration getLoginThrottle() {
        return loginThrottle;
    }

    @JsonProperty
    public void setLoginThrottle(LoginThrottleConfiguration loginThrottle) {
        this.loginThrottle = loginThrottle;
    }

    @JsonProperty
    public BootstrapAdminConfiguration getBootstrapAdmin() {
        return bootstrapAdmin;
    }

    @JsonProperty
    public void setBootstrapAdmin(BootstrapAdminConfiguration bootstrapAdmin) {
        this.bootstrapAdmin = bootstrapAdmin;
    }

    /** Whether a bootstrap admin is configured (an email is given). */
    @JsonIgnore
    public boolean hasBootstrapAdmin() {
        return bootstrapAdmin != null && bootstrapAdmin.getEmail() != null && !bootstrapAdmin.getEmail().isBlank();
    }

    /** {@code auth.passwordHashing:} Argon2id parameters. */
    public static class PasswordHashingConfiguration {

        /** Memory per hash (Argon2 m). OWASP: 19 MiB with 2 iterations, or 46 MiB with 1. */
        @NotNull
        @MinDataSize(value = 64, unit = DataSizeUnit.KIBIBYTES)
        @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
        private DataSize memory = DataSize.mebibytes(19);

        @Min(1)
        @Max(16)
        private int iterations = 2;

        @Min(1)
        @Max(16)
        private int parallelism = 1;

        /** Hashes computed at the same time; more wait (each holds {@code memory} while it runs). */
        @Min(1)
        @Max(256)
        private int maxConcurrent = 4;

        /** Longest wait for a hashing slot before the request is answered 503. */
        @NotNull
        @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
        private Duration maxWait = Duration.seconds(10);

        @JsonProperty
        public DataSize getMemory() {
            return memory;
        }

        @JsonProperty
        public void setMemory(DataSize memory) {
            this.memory = memory;
        }

        @JsonProperty
        public int getIterations() {
            return iterations;
        }

        @JsonProperty
        public void setIterations(int iterations) {
            this.iterations = iterations;
        }

        @JsonProperty
        public int getParallelism() {
            return parallelism;
        }

        @JsonProperty
        public void setParallelism(int parallelism) {
            this.parallelism = parallelism;
        }

        @JsonProperty
        public int getMaxConcurrent() {
            return maxConcurrent;
        }

        @JsonProperty
        public void setMaxConcurrent(int maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
        }

        @JsonProperty
        public Duration getMaxWait() {
            return maxWait;
        }

        @JsonProperty
        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        @JsonIgnore
        public PasswordHasher.Parameters parameters() {
            return new PasswordHasher.Parameters(Math.toIntExact(memory.toKibibytes()), iterations, parallelism);
        }
    }

    /** {@code auth.loginThrottle:} failed logins tolerated per window before 429. */
    public static class LoginThrottleConfiguration {

        /** Failed logins for one email address per window. */
        @Min(1)
        @Max(10_000)
        private int maxFailuresPerAccount = 5;

        /** Failed logins from one client IP address per window. */
        @Min(1)
        @Max(100_000)
        private int maxFailuresPerIp = 20;

        /** The window starts at the first failure; when it ends the count starts over. */
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.DAYS)
        private Duration window = Duration.minutes(15);

        @JsonProperty
        public int getMaxFailuresPerAccount() {
            return maxFailuresPerAccount;
        }

        @JsonProperty
        public void setMaxFailuresPerAccount(int maxFailuresPerAccount) {
            this.maxFailuresPerAccount = maxFailuresPerAccount;
        }

        @JsonProperty
        public int getMaxFailuresPerIp() {
            return maxFailuresPerIp;
        }

        @JsonProperty
        public void setMaxFailuresPerIp(int maxFailuresPerIp) {
            this.maxFailuresPerIp = maxFailuresPerIp;
        }

        @JsonProperty
        public Duration getWindow() {
            return window;
        }

        @JsonProperty
        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** {@code auth.bootstrapAdmin:} the admin account created at startup when no account has its email. */
    public static class BootstrapAdminConfiguration {

        @Size(max = FieldRules.EMAIL_MAX)
        private String email;

        @Size(max = FieldRules.PASSWORD_MAX)
        private String password;

        @NotBlank
        @Size(min = FieldRules.USERNAME_MIN, max = FieldRules.USERNAME_MAX, message = FieldRules.USERNAME_MESSAGE)
        @Pattern(regexp = FieldRules.USERNAME_PATTERN, message = FieldRules.USERNAME_MESSAGE)
        private String username = "admin";

        @JsonProperty
        public String getEmail() {
            return email;
        }

        @JsonProperty
        public void setEmail(String email) {
            this.email = email;
        }

        @JsonProperty
        public String getPassword() {
            return password;
        }

        @JsonProperty
        public void setPassword(String password) {
            this.password = password;
        }

        @JsonProperty
        public String getUsername() {
            return username;
        }

        @JsonProperty
        public void setUsername(String username) {
            this.username = username;
        }

        @JsonIgnore
        @ValidationMethod(message = "auth.bootstrapAdmin.email must be an email address (user@example.org)")
        public boolean isEmailAnAddress() {
            return email == null || email.isBlank() || FieldRules.isEmailAddress(email);
        }

        @JsonIgnore
        @ValidationMethod(message = "auth.bootstrapAdmin.password must be given with an email, 10-128 characters, "
                + "not the email or username and not a common password")
        public boolean isPasswordAcceptable() {
            if (email == null || email.isBlank()) {
                return true;
            }
            return PasswordPolicy.standard().problem(password, username, email).isEmpty();
        }
    }
}
