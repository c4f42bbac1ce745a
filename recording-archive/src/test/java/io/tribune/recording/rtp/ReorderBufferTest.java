package io.tribune.recording.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    private final List<RtpPacket> out = new ArrayList<>();

    private void push(ReorderBuffer buffer, int... sequences) {
        for (int sequence : sequences) {
            buffer.push(sequence, sequence * 10L, false, new byte[] {(byte) sequence}, out::add);
        }
    }

    private List<Long> released() {
        return out.stream().map(RtpPacket::sequence).map(s -> s & 0xFFFF).toList();
    }

    @Test
    void releasesPacketsInSequenceOrder() {
        ReorderBuffer buffer = new ReorderBuffer(4);
        push(buffer, 1, 3, 2, 5, 4, 6, 7, 8, 9);
        buffer.flush(out::add);
        assertThat(released()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(buffer.lost()).isZero();
        assertThat(out).noneMatch(RtpPacket::lostBefore);
    }

    @Test
    void startsAtTheLowestOfTheFirstPacketsEvenWhenTheyArriveReordered() {
        ReorderBuffer buffer = new ReorderBuffer(32);
        push(buffer, 11, 10, 12);
        buffer.flush(out::add);
        assertThat(released()).containsExactly(10L, 11L, 12L);
        assertThat(buffer.late()).isZero();
    }

    @Test
    void dropsPacketWithRepeatedSequenceNumber() {
        ReorderBuffer buffer = new ReorderBuffer(2);
        push(buffer, 1, 2, 2, 3, 1, 4);
        buffer.flush(out::add);
        assertThat(released()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(buffer.duplicates()).isEqualTo(2);
        assertThat(buffer.late()).isZero();
    }

    @Test
    void keepsOrderAcrossTheSequenceNumberWrap() {
        ReorderBuffer buffer = new ReorderBuffer(2);
        push(buffer, 65534, 65535, 1, 0, 2);
        buffer.flush(out::add);
        assertThat(released()).containsExactly(65534L, 65535L, 0L, 1L, 2L);
        assertThat(out.get(2).sequence()).isEqualTo(out.get(1).sequence() + 1);
    }

    @Test
    void extendsTimestampsAcrossTheirWrap() {
        ReorderBuffer buffer = new ReorderBuffer(1);
        buffer.push(1, 0xFFFF_FF00L, false, new byte[1], out::add);
        buffer.push(2, 0x0000_0100L, false, new byte[1], out::add);
        buffer.flush(out::add);
        assertThat(out.get(1).timestamp() - out.get(0).timestamp()).isEqualTo(0x200);
    }

    @Nested
    class WhenPacketsAreMissing {

        @Test
        void givesUpOnTheGapOnceMoreThanCapacityWaitAndFlagsTheNextPacket() {
            ReorderBuffer buffer = new ReorderBuffer(2);
            push(buffer, 1, 2, 5, 6, 7);
            assertThat(released()).containsExactly(1L, 2L, 5L, 6L, 7L);
            assertThat(buffer.lost()).isEqualTo(2);
            assertThat(out.get(2).lostBefore()).isTrue();
            assertThat(out.get(3).lostBefore()).isFalse();
        }

        @Test
        void countsAPacketArrivingAfterItsGapWasSkippedAsLate() {
            ReorderBuffer buffer = new ReorderBuffer(1);
            push(buffer, 1, 3, 4, 2);
            buffer.flush(out::add);
            assertThat(released()).containsExactly(1L, 3L, 4L);
            assertThat(buffer.late()).isEqualTo(1);
            assertThat(buffer.lost()).isEqualTo(1);
        }

        @Test
        void flushReleasesEverythingWaitingAndCountsTheGaps() {
            ReorderBuffer buffer = new ReorderBuffer(100);
            push(buffer, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20);
            buffer.flush(out::add);
            assertThat(released()).endsWith(16L, 18L, 20L);
            assertThat(buffer.lost()).isEqualTo(2);
            assertThat(buffer.waiting()).isZero();
        }
    }
}
