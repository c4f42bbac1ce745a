package io.tribune.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpRecordTest {

    @Test
    void roundTripsEveryFieldAtItsLimits() {
        RtpRecord record = new RtpRecord(1_795_000_000_123_456L, 0xFFFF_FFFFL, 127, 65_535, 0xFFFF_FFFFL, true,
                new byte[] {(byte) 0x90, 0x01, 0x7F});
        byte[] bytes = record.encode();
        assertThat(bytes).hasSize(RtpRecord.HEADER_BYTES + 3);
        assertThat(RtpRecord.isRtpRecord(bytes)).isTrue();
        assertThat(RtpRecord.decode(bytes)).isEqualTo(record);
        RtpRecord empty = new RtpRecord(0, 0, 0, 0, 0, false, new byte[0]);
        assertThat(RtpRecord.decode(empty.encode())).isEqualTo(empty);
    }

    @Test
    void aJsonEventIsNotTakenForAnRtpRecord() {
        byte[] json = EventCodec.encode(Event.of(new MediaEvents.AudioTrackEnded("m", "t", java.time.Instant.EPOCH, null), java.time.Instant.EPOCH));
        assertThat(RtpRecord.isRtpRecord(json)).isFalse();
        assertThatThrownBy(() -> RtpRecord.decode(json)).isInstanceOf(EventFormatException.class);
    }

    @Test
    void malformedRecordsAreFormatErrors() {
        byte[] good = new RtpRecord(1, 2, 96, 3, 4, false, new byte[10]).encode();
        assertThatThrownBy(() -> RtpRecord.decode(null)).isInstanceOf(EventFormatException.class);
        assertThatThrownBy(() -> RtpRecord.decode(Arrays.copyOf(good, RtpRecord.HEADER_BYTES - 1)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("shorter");
        byte[] unknownFlags = good.clone();
        unknownFlags[1] = 2;
        assertThatThrownBy(() -> RtpRecord.decode(unknownFlags)).hasMessageContaining("unknown flags");
        byte[] badType = good.clone();
        badType[2] = (byte) 0x80;
        assertThatThrownBy(() -> RtpRecord.decode(badType)).isInstanceOf(EventFormatException.class);
        assertThatThrownBy(() -> RtpRecord.decode(new byte[RtpRecord.HEADER_BYTES + RtpRecord.MAX_PAYLOAD + 1]))
                .isInstanceOf(EventFormatException.class);
        assertThatThrownBy(() -> new RtpRecord(0, 0, 128, 0, 0, false, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
