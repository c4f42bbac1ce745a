package io.tribune.api.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class FieldRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a@example.org", "first.last@sub.example.co.uk", "o'brien+tag@example.org",
        "x_y-z@e-x.ample.travel", "UPPER@EXAMPLE.ORG"})
    void acceptsOrdinaryAddresses(String email) {
        assertThat(FieldRules.isEmailAddress(email)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"plain", "@example.org", "a@", "a@localhost", "a@@example.org", "a b@example.org",
        ".a@example.org", "a..b@example.org", "a.@example.org", "a@-example.org", "a@example-.org",
        "a@example.o", "a@example.123", "<b>a</b>@example.org", "\"quoted\"@example.org", "a@[127.0.0.1]",
        "a@example.org\n", "a@exa mple.org"})
    void refusesAddressesThatAreNotSane(String email) {
        assertThat(FieldRules.isEmailAddress(email)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 65})
    void limitsTheLocalPartTo64Characters(int length) {
        assertThat(FieldRules.isEmailAddress("a".repeat(length) + "@example.org")).isEqualTo(length <= 64);
    }

    @ParameterizedTest
    @ValueSource(ints = {254, 255})
    void limitsTheAddressTo254Characters(int length) {
        // Labels of at most 63 characters each (RFC 1035).
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(length - 207)
                + ".org";
        String email = "a".repeat(10) + "@" + domain;

        assertThat(email).hasSize(length);
        assertThat(FieldRules.isEmailAddress(email)).isEqualTo(length <= 254);
    }
}
