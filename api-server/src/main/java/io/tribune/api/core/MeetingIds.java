package io.tribune.api.core;

import io.tribune.api.auth.OpaqueTokens;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Makes the random identifiers and secrets of meetings. Thread-safe ({@link SecureRandom} is).
 *
 * <ul>
 *   <li>{@code meeting_id}: 96 random bits in lower-case base32 (RFC 4648 alphabet, no padding), 20 characters;
 *       it sits in links, so it is the capability that finds a meeting.</li>
 *   <li>{@code numeric_id}: 11 decimal digits (the first not 0) for people to type; about 36 bits, so joining by
 *       it always needs the passcode and failed attempts are rate limited.</li>
 *   <li>Opaque tokens (calendar feeds, lobby tickets): 256 random bits, base64url.</li>
 * </ul>
 */
public final class MeetingIds {

    /** What a meeting id looks like; anything else cannot be one and is answered 404 without a query. */
    public static final Pattern MEETING_ID = Pattern.compile("^[a-z2-7]{20}$");

    public static final long MIN_NUMERIC_ID = 10_000_000_000L;
    public static final long MAX_NUMERIC_ID = 99_999_999_999L;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final SecureRandom random;

    public MeetingIds() {
        this(new SecureRandom());
    }

    MeetingIds(SecureRandom random) {
        this.random = random;
    }

    public String newMeetingId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return base32(bytes);
    }

    public long newNumericId() {
        return MIN_NUMERIC_ID + random.nextLong(MAX_NUMERIC_ID - MIN_NUMERIC_ID + 1);
    }

    /** A guest's participant id: {@code guest-} and 80 random bits. */
    public String newGuestId() {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return "guest-" + base32(bytes);
    }

    /** A bearer secret: 256 random bits, URL-safe base64 without padding (43 characters). */
    public String newToken() {
        return OpaqueTokens.newSecret();
    }

    /** A default passcode: 6 random decimal digits. */
    public String newPasscode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    public static boolean isMeetingId(String value) {
        return value != null && MEETING_ID.matcher(value).matches();
    }

    /** Lower-case RFC 4648 base32 without padding. */
    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
