package io.tribune.transcoder.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The claim delay that spreads town halls over transcoders (the Redis side is in {@code BroadcastLeasesIT}). */
class BroadcastLeasesTest {

    private static final Duration REFRESH = Duration.ofSeconds(3);

    @Test
    void anIdleInstanceClaimsWithinTheJitter() {
        assertThat(BroadcastLeases.claimDelay(0, 4, REFRESH, 0.0)).isZero();
        assertThat(BroadcastLeases.claimDelay(0, 4, REFRESH, 0.999)).isEqualTo(Duration.ofMillis(299));
    }

    @Test
    void theWaitGrowsWithTheLoadSoTheLeastLoadedClaimsFirst() {
        assertThat(BroadcastLeases.claimDelay(1, 4, REFRESH, 0.5)).isEqualTo(Duration.ofMillis(750 + 150));
        assertThat(BroadcastLeases.claimDelay(3, 4, REFRESH, 0.5)).isEqualTo(Duration.ofMillis(2250 + 150));
        // Even the unluckiest idle instance claims before the luckiest one with a town hall more (of 4, 3 s).
        assertThat(BroadcastLeases.claimDelay(0, 4, REFRESH, 0.999))
                .isLessThan(BroadcastLeases.claimDelay(1, 4, REFRESH, 0.0));
        // Any load waits less than a refresh, so a claim never falls behind the next refresh's.
        assertThat(BroadcastLeases.claimDelay(99, 100, REFRESH, 0.999)).isLessThan(REFRESH.plusMillis(300));
    }

    @Test
    void aFullInstanceClaimsNothing() {
        assertThat(BroadcastLeases.claimDelay(4, 4, REFRESH, 0.1)).isNull();
        assertThat(BroadcastLeases.claimDelay(1, 1, REFRESH, 0.1)).isNull();
    }

    @Test
    void refusesARandomOutsideTheUnitInterval() {
        assertThatThrownBy(() -> BroadcastLeases.claimDelay(0, 4, REFRESH, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BroadcastLeases.claimDelay(0, 4, REFRESH, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsRefuseALeaseThatALateRenewalCouldMiss() {
        assertThatThrownBy(() -> new StageTownHalls.Settings("redis://127.0.0.1:6379", "t1", "127.0.0.1", 20000, 4,
                REFRESH, Duration.ofSeconds(5))).hasMessageContaining("at least twice refresh");
        assertThatThrownBy(() -> new StageTownHalls.Settings("redis://127.0.0.1:6379", " ", "127.0.0.1", 20000, 4,
                REFRESH, Duration.ofSeconds(10))).hasMessageContaining("instanceId");
        assertThat(StageTownHalls.Settings.defaultInstanceId()).isNotEqualTo(StageTownHalls.Settings
                .defaultInstanceId()).matches("[A-Za-z0-9._-]+-[0-9a-f]{6}");
    }
}
