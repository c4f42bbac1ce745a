package io.tribune.api.core;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MeetingIdsTest {

    private final MeetingIds ids = new MeetingIds();

    @Test
    void makesMeetingIdsOf96RandomBitsInLowerCaseBase32() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ids.newMeetingId();
            assertThat(id).matches("[a-z2-7]{20}");
            assertThat(MeetingIds.isMeetingId(id)).isTrue();
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void encodesBase32AsRfc4648DoesInLowerCase() {
        // RFC 4648 section 10 test vectors, without padding.
        assertThat(MeetingIds.base32("foobar".getBytes())).isEqualTo("mzxw6ytboi");
        assertThat(MeetingIds.base32("fooba".getBytes())).isEqualTo("mzxw6ytb");
        assertThat(MeetingIds.base32("f".getBytes())).isEqualTo("my");
    }

    @Test
    void makesElevenDigitNumericIds() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Long.toString(ids.newNumericId())).matches("[1-9][0-9]{10}");
        }
    }

    @Test
    void makesSixDigitPasscodesAndLongUrlSafeTokens() {
        assertThat(ids.newPasscode()).matches("[0-9]{6}");
        assertThat(ids.newToken()).matches("[A-Za-z0-9_-]{43}");
        assertThat(ids.newGuestId()).matches("guest-[a-z2-7]{16}");
    }

    @Test
    void rejectsWhatCannotBeAMeetingId() {
        assertThat(MeetingIds.isMeetingId("67890")).isFalse();
        assertThat(MeetingIds.isMeetingId("ABCDEFGHIJKLMNOPQRST")).isFalse();
        assertThat(MeetingIds.isMeetingId("' OR 1=1 --")).isFalse();
        assertThat(MeetingIds.isMeetingId(null)).isFalse();
    }
}
