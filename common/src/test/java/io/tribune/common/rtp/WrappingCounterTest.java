package io.tribune.common.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrappingCounterTest {

    @Test
    void sequenceNumbersKeepTheirOrderAcrossAWrapAndAReorderAroundIt() {
        WrappingCounter sequences = WrappingCounter.sequence();
        long a = sequences.extend(65534);
        long b = sequences.extend(65535);
        long c = sequences.extend(1);
        long late = sequences.extend(0);
        assertThat(b).isEqualTo(a + 1);
        assertThat(c).isEqualTo(a + 3);
        assertThat(late).isEqualTo(a + 2);
    }

    @Test
    void aPacketReorderedBeforeTheFirstStaysBelowIt() {
        WrappingCounter sequences = WrappingCounter.sequence();
        long first = sequences.extend(0);
        assertThat(sequences.extend(65535)).isEqualTo(first - 1);
    }

    @Test
    void timestampsWrapAt32Bits() {
        WrappingCounter timestamps = WrappingCounter.timestamp();
        long a = timestamps.extend(0xFFFF_FF00L);
        assertThat(timestamps.extend(0x100L)).isEqualTo(a + 0x200L);
    }
}
