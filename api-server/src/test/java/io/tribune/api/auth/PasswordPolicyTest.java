package io.tribune.api.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {

    private final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void acceptsALongUncommonPassword() {
        assertThat(policy.problem("tulip glacier harmonica", "alice", "alice@example.org")).isEmpty();
    }

    @Test
    void acceptsExactlyTheMinimumAndTheMaximumLength() {
        assertThat(policy.problem("k3#pQ9!zLm", "alice", "alice@example.org")).isEmpty();
        assertThat(policy.problem("ab".repeat(64), "alice", "alice@example.org")).isEmpty();
    }

    @Test
    void refusesNineCharacters() {
        assertThat(policy.problem("k3#pQ9!zL", "alice", "alice@example.org"))
                .hasValue("must be at least 10 characters long");
    }

    @Test
    void countsCharactersNotUtf16Units() {
        // Nine emoji are 18 UTF-16 units but 9 characters.
        assertThat(policy.problem("🔑".repeat(5) + "🎈".repeat(4), null, null))
                .hasValue("must be at least 10 characters long");
    }

    @Test
    void refuses129Characters() {
        assertThat(policy.problem("ab".repeat(64) + "c", "alice", "alice@example.org"))
                .hasValue("must be at most 128 characters long");
    }

    @Test
    void refusesTheEmailAddressIgnoringCase() {
        assertThat(policy.problem("Alice.Smith@Example.org", "alice", "alice.smith@example.org"))
                .hasValue("must not be the email address");
    }

    @Test
    void refusesTheUsernameIgnoringCase() {
        assertThat(policy.problem("AliceSmith1984", "alicesmith1984", "a@example.org"))
                .hasValue("must not be the username");
    }

    @Test
    void refusesOneCharacterRepeated() {
        assertThat(policy.problem("zzzzzzzzzzzz", null, null)).hasValue("must not be one character repeated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234567890", "qwertyuiop", "Password123", "PASSWORD1234", "iloveyou123",
        "1q2w3e4r5t"})
    void refusesCommonPasswordsIgnoringCase(String common) {
        assertThat(policy.problem(common, "someone", "someone@example.org")).hasValueSatisfying(
                problem -> assertThat(problem).contains("most commonly used"));
    }

    @Test
    void refusesAMissingPassword() {
        assertThat(policy.problem(null, "alice", "alice@example.org")).hasValue("is required");
    }
}
