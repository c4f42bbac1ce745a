package io.tribune.sfu.rtp;

import java.time.Instant;

/** The 64-bit NTP timestamp of RTCP sender reports (RFC 3550 §4): seconds since 1900 and a 32-bit fraction. */
public final class NtpTime {

    /** Seconds from 1900-01-01 to 1970-01-01. */
    static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private NtpTime() {
    }

    public static long of(Instant instant) {
        long seconds = instant.getEpochSecond() + EPOCH_OFFSET_SECONDS;
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits, as LSR and DLSR use them (1/65536 s units). */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xffffffffL;
    }
}
