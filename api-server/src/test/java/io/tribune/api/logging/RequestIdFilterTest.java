package io.tribune.api.logging;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdFilterTest {

    @Nested
    class WhenTheCallerSendsAnId {

        @Test
        void keepsLettersDigitsDashesAndUnderscores() {
            assertThat(RequestIdFilter.sanitize("abc-DEF_123")).hasValue("abc-DEF_123");
        }

        @Test
        void trimsSurroundingWhitespace() {
            assertThat(RequestIdFilter.sanitize("  abc  ")).hasValue("abc");
        }

        @Test
        void acceptsExactly64Characters() {
            String id = "a".repeat(64);
            assertThat(RequestIdFilter.sanitize(id)).hasValue(id);
        }

        @Test
        void rejectsMoreThan64Characters() {
            assertThat(RequestIdFilter.sanitize("a".repeat(65))).isEmpty();
        }

        @Test
        void rejectsCharactersThatCouldForgeLogLinesOrHeaders() {
            assertThat(RequestIdFilter.sanitize("abc\ndef")).isEmpty();
            assertThat(RequestIdFilter.sanitize("abc\"}")).isEmpty();
            assertThat(RequestIdFilter.sanitize("a b")).isEmpty();
            assertThat(RequestIdFilter.sanitize("ünïcode")).isEmpty();
        }

        @Test
        void rejectsBlankAndMissingIds() {
            assertThat(RequestIdFilter.sanitize(null)).isEmpty();
            assertThat(RequestIdFilter.sanitize("")).isEmpty();
            assertThat(RequestIdFilter.sanitize("   ")).isEmpty();
        }
    }

    @Nested
    class WhenGenerating {

        @Test
        void makesIdsThatPassItsOwnSanitisation() {
            String id = RequestIdFilter.generate();
            assertThat(RequestIdFilter.sanitize(id)).hasValue(id);
        }

        @Test
        void neverRepeatsAnId() {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 10_000; i++) {
                ids.add(RequestIdFilter.generate());
            }
            assertThat(ids).hasSize(10_000);
        }

        @Test
        void makesVersion4Uuids() {
            UUID id = UUID.fromString(RequestIdFilter.generate());
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
        }
    }
}
