package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second test class, with a per-class instance and constructor injection: it must see the very same platform. */
@ExtendWith(PlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformExtensionSecondClassIT {

    private final EmbeddedPlatform platform;

    PlatformExtensionSecondClassIT(EmbeddedPlatform platform) {
        this.platform = platform;
    }

    @Test
    void getsTheSameInstanceAsEveryOtherTestClass() throws Exception {
        assertThat(platform).isSameAs(PlatformExtension.platform());
        assertThat(SharedPlatformWitness.saw(platform)).isEqualTo(1);
        assertThat(EmbeddedPlatformIT.redisPing(platform.redis().port())).isEqualTo("+PONG");
    }
}
