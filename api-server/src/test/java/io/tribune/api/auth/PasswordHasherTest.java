package io.tribune.api.auth;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {

    /** The production parameters: what every test here hashes with unless it says otherwise. */
    private final PasswordHasher hasher =
            new PasswordHasher(PasswordHasher.Parameters.OWASP, 2, Duration.ofSeconds(30));

    @Test
    void writesAnArgon2idPhcStringWithTheOwaspParameters() {
        String phc = hasher.hash("correct horse battery staple");

        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void verifiesTheRightPassword() {
        String phc = hasher.hash("correct horse battery staple");

        assertThat(hasher.verify("correct horse battery staple", phc)).isTrue();
    }

    @Test
    void refusesAWrongPasswordIncludingOneDifferingOnlyInCase() {
        String phc = hasher.hash("correct horse battery staple");

        assertThat(hasher.verify("correct horse battery stapl", phc)).isFalse();
        assertThat(hasher.verify("Correct horse battery staple", phc)).isFalse();
        assertThat(hasher.verify("", phc)).isFalse();
    }

    @Test
    void saltsEveryHashDifferently() {
        assertThat(hasher.hash("same password twice")).isNotEqualTo(hasher.hash("same password twice"));
    }

    @Test
    void hashesNonAsciiPasswordsAsUtf8() {
        String phc = hasher.hash("pässwörd mit ümläuten 🔑");

        assertThat(hasher.verify("pässwörd mit ümläuten 🔑", phc)).isTrue();
        assertThat(hasher.verify("passwort mit umlauten 🔑", phc)).isFalse();
    }

    @Test
    void verifiesAHashOfTheReferenceImplementation() {
        // From the reference implementation (Debian's argon2 0~20171227):
        // echo -n "correct horse battery staple" | argon2 tribune-salt-123 -id -t 2 -k 19456 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=19456,t=2,p=1$dHJpYnVuZS1zYWx0LTEyMw$"
                + "ueY80zAIZpJtnDafObG+H5WRWQa5ijxvv70OapC2D/k";

        assertThat(hasher.verify("correct horse battery staple", reference)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", reference)).isFalse();
        assertThat(hasher.needsRehash(reference)).isFalse();
    }

    @Test
    void verifiesHashesMadeWithOtherParametersAndAsksForARehash() {
        PasswordHasher old = new PasswordHasher(new PasswordHasher.Parameters(1024, 1, 1), 1, Duration.ofSeconds(5));
        String phc = old.hash("an older password hash");

        assertThat(hasher.verify("an older password hash", phc)).isTrue();
        assertThat(hasher.needsRehash(phc)).isTrue();
        assertThat(hasher.needsRehash(hasher.hash("a current one"))).isFalse();
    }

    @Test
    void theDecoyNeverMatches() {
        assertThat(hasher.verifyDecoy("decoy password that matches nothing")).isFalse();
        assertThat(hasher.verifyDecoy(null)).isFalse();
    }

    @Nested
    class WhenTheStoredHashIsNotUsable {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {
            "garbage",
            "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$argon2id$v=19$m=19456,t=2$c29tZXNhbHRzb21lc2FsdA$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA",
            "$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!!!!!!!$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$argon2id$v=19$m=19456,t=999,p=1$c29tZXNhbHRzb21lc2FsdA$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$argon2id$v=19$m=8,t=2,p=4$c29tZXNhbHRzb21lc2FsdA$nNMXMNLh/28J2dldEulvXqrs2RLIrq8zOjxatVyH3I0",
            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
        })
        void verifyAnswersFalseInsteadOfThrowing(String phc) {
            assertThat(hasher.verify("password", phc)).isFalse();
            assertThat(hasher.needsRehash(phc)).isTrue();
        }

        @Test
        void verifyAnswersFalseForAHugeString() {
            String huge = "$argon2id$v=19$m=19456,t=2,p=1$" + "A".repeat(10_000) + "$" + "B".repeat(10_000);

            assertThat(hasher.verify("password", huge)).isFalse();
        }
    }

    @Nested
    class WhenTooManyHashesRunAtOnce {

        @Test
        void answersBusyAfterTheLongestWait() throws Exception {
            PasswordHasher oneAtATime = new PasswordHasher(new PasswordHasher.Parameters(64 * 1024, 3, 1), 1,
                    Duration.ofMillis(1));
            Thread holder = new Thread(() -> oneAtATime.hash("keeps the only slot busy for a while"));
            holder.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (oneAtATime.inProgress() == 0 && holder.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(oneAtATime.inProgress()).as("the holder is hashing").isEqualTo(1);

                assertThatThrownBy(() -> oneAtATime.hash("second")).isInstanceOf(PasswordHasher.BusyException.class);
            } finally {
                holder.join();
            }
            assertThat(oneAtATime.inProgress()).as("the slot is free again").isZero();
        }
    }

    @Test
    void refusesParametersOutsideTheBounds() {
        assertThatThrownBy(() -> new PasswordHasher.Parameters(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher.Parameters(19456, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher.Parameters(19456, 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverStoresThePasswordInTheHash() {
        String phc = hasher.hash("visible secret words");

        String decoded = new String(Base64.getDecoder().decode(phc.substring(phc.lastIndexOf('$') + 1)),
                StandardCharsets.ISO_8859_1);
        assertThat(phc + decoded).doesNotContain("visible secret words");
    }
}
