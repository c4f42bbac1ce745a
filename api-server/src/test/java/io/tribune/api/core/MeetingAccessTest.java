package io.tribune.api.core;

import io.tribune.api.auth.PlatformRole;
import io.tribune.api.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeetingAccessTest {

    private static final Instant START = Instant.parse("2031-01-01T10:00:00Z");
    private static final Meeting MEETING = new Meeting("abcdefghijklmnopqrst", 12345678901L, MeetingKind.MEETING,
            "host", "Sync", MeetingSchedule.single(START, START.plusSeconds(3600), ZoneId.of("UTC")),
            MeetingSettings.defaults(MeetingKind.MEETING), false, 0, MeetingStatus.SCHEDULED, false, false,
            new StoredPasscode(new byte[32], new byte[40]),
            List.of(Invitee.user("cohost", MeetingRole.CO_HOST), Invitee.user("invitee", MeetingRole.PARTICIPANT),
                    Invitee.email("Mail@Example.org", MeetingRole.PARTICIPANT)),
            START, START);

    private static Caller caller(String who) {
        return switch (who) {
            case "admin" -> new Caller("admin", PlatformRole.ADMIN, "admin@example.org", "Admin");
            case "by-email" -> new Caller("someone", PlatformRole.MEMBER, "mail@example.ORG", "Mail");
            default -> new Caller(who, PlatformRole.MEMBER, who + "@example.org", who);
        };
    }

    /** view, moderate, cancel, passcode: 1 = allowed, 0 = 403, 4 = 404. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"host, 1, 1, 1, true", "cohost, 1, 1, 0, true", "invitee, 1, 0, 0, false",
            "by-email, 1, 0, 0, false", "admin, 1, 0, 1, false", "stranger, 4, 4, 4, false"})
    void allowsWhatTheTableSays(String who, int view, int moderate, int cancel, boolean passcode) {
        MeetingAccess access = MeetingAccess.of(MEETING, caller(who));

        check(access::requireView, view);
        check(access::requireModerate, moderate);
        check(access::requireCancel, cancel);
        assertThat(access.canSeePasscode()).isEqualTo(passcode);
    }

    private static void check(Runnable requirement, int expected) {
        if (expected == 1) {
            requirement.run();
        } else {
            assertThatThrownBy(requirement::run).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(expected == 4 ? 404 : 403));
        }
    }
}
