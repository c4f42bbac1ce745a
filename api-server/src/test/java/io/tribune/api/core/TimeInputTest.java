package io.tribune.api.core;

import io.tribune.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeInputTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void readsInstantsWithAnOffsetWhateverTheZone() {
        assertThat(TimeInput.parse("start_time", "2027-03-16T09:00:00Z", BERLIN))
                .isEqualTo(Instant.parse("2027-03-16T09:00:00Z"));
        assertThat(TimeInput.parse("start_time", "2027-03-16T10:00:00+01:00", ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2027-03-16T09:00:00Z"));
    }

    @Test
    void readsLocalTimesInTheMeetingZone() {
        assertThat(TimeInput.parse("start_time", "2027-07-01T10:00:00", BERLIN))
                .isEqualTo(Instant.parse("2027-07-01T08:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomorrow", "2027-13-01T10:00:00Z", "1700000000", "2027-03-16", "1900-01-01T00:00:00Z",
            "'; DROP TABLE meetings; --"})
    void refusesOtherTextNamingTheField(String value) {
        assertThatThrownBy(() -> TimeInput.parse("end_time", value, BERLIN))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).containsKey("end_time");
                });
    }

    @Test
    void acceptsIanaZonesOnly() {
        assertThat(TimeInput.zone("time_zone", "America/New_York")).isEqualTo(ZoneId.of("America/New_York"));
        assertThatThrownBy(() -> TimeInput.zone("time_zone", "Mars/Olympus_Mons"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).containsKey("time_zone"));
        assertThatThrownBy(() -> TimeInput.zone("time_zone", "+02:00")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> TimeInput.zone("time_zone", "SystemV/PST8")).isInstanceOf(ApiException.class);
    }
}
