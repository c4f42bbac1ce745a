package io.tribune.api.api;

import java.util.regex.Pattern;

/**
 * The shape of account fields, shared by request validation and the configuration (bootstrap admin). Constants
 * for Bean Validation annotations; stateless.
 */
public final class FieldRules {

    public static final int USERNAME_MIN = 3;
    public static final int USERNAME_MAX = 40;
    public static final String USERNAME_PATTERN = "^[A-Za-z0-9._-]*$";
    public static final String USERNAME_MESSAGE = "must be 3-40 letters, digits, '.', '_' or '-'";

    /** RFC 5321 §4.5.3.1.3: a forward-path holds at most 256 octets including the angle brackets. */
    public static final int EMAIL_MAX = 254;
    /**
     * A sane address, stricter than RFC 5322: dot-atom local part of at most 64 characters, a domain of at
     * least two labels ending in a letters-only TLD. No quoted local parts, IP literals or comments.
     */
    public static final String EMAIL_PATTERN = "^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
            + "(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
            + "[A-Za-z]{2,63}$";
    public static final String EMAIL_MESSAGE = "must be an email address such as name@example.org";

    public static final int PASSWORD_MAX = 128;

    /** Text without control characters (PostgreSQL refuses NUL in text; the others have no business there). */
    public static final String NO_CONTROL_CHARACTERS = "^\\P{Cntrl}*$";
    public static final String NO_CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

    /** A one-time link id: 256 random bits in unpadded Base64url (43 characters). */
    public static final String LINK_ID_PATTERN = "^[A-Za-z0-9_-]{43}$";
    /** A refresh token: 256 random bits in unpadded Base64url (43 characters). */
    public static final String REFRESH_TOKEN_PATTERN = "^[A-Za-z0-9_-]{43}$";

    private static final Pattern EMAIL = Pattern.compile(EMAIL_PATTERN);

    private FieldRules() {
    }

    public static boolean isEmailAddress(String value) {
        return value != null && value.length() <= EMAIL_MAX && EMAIL.matcher(value).matches();
    }
}
