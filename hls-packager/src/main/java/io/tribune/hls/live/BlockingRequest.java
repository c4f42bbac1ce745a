package io.tribune.hls.live;

/**
 * The {@code _HLS_msn} / {@code _HLS_part} of a playlist request (rfc8216bis 6.2.5.2), parsed and checked.
 *
 * @param msn  the media sequence number asked for, or -1 for a plain (non-blocking) request
 * @param part the part index asked for, or -1 for the whole segment
 */
public record BlockingRequest(long msn, int part) {

    public static final BlockingRequest NONE = new BlockingRequest(-1, -1);

    public boolean blocking() {
        return msn >= 0;
    }

    /**
     * @throws IllegalArgumentException for {@code _HLS_part} without {@code _HLS_msn}, or values that are not
     *                                  non-negative decimal integers
     */
    public static BlockingRequest parse(String msn, String part) {
        if (msn == null) {
            if (part != null) {
                throw new IllegalArgumentException("_HLS_part without _HLS_msn");
            }
            return NONE;
        }
        long parsedMsn = decimal(msn, "_HLS_msn", Long.MAX_VALUE);
        int parsedPart = part == null ? -1 : (int) decimal(part, "_HLS_part", Integer.MAX_VALUE);
        return new BlockingRequest(parsedMsn, parsedPart);
    }

    private static long decimal(String value, String name, long max) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
        long parsed = Long.parseLong(value);
        if (parsed > max) {
            throw new IllegalArgumentException(name + " is too large");
        }
        return parsed;
    }
}
