package io.tribune.sfu.srtp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts SRTP outcomes by {@link SrtpStatus}. One thread writes; any thread may read a snapshot.
 */
public final class SrtpCounters {

    private final AtomicLongArray counts = new AtomicLongArray(SrtpStatus.values().length);

    void count(SrtpStatus status) {
        counts.incrementAndGet(status.ordinal());
    }

    /** How many packets ended with this status. */
    public long get(SrtpStatus status) {
        return counts.get(status.ordinal());
    }

    /** Every packet that did not end {@link SrtpStatus#OK}. */
    public long failures() {
        long sum = 0;
        for (SrtpStatus status : SrtpStatus.values()) {
            if (status != SrtpStatus.OK) {
                sum += get(status);
            }
        }
        return sum;
    }

    /** A copy of every count. */
    public Map<SrtpStatus, Long> snapshot() {
        Map<SrtpStatus, Long> out = new EnumMap<>(SrtpStatus.class);
        for (SrtpStatus status : SrtpStatus.values()) {
            out.put(status, get(status));
        }
        return out;
    }
}
