package io.tribune.api.core;

/**
 * A meeting's passcode as stored: its HMAC (to check a guess) and its sealed copy (for hosts to read). The
 * arrays are not copied; treat them as immutable.
 */
public record StoredPasscode(byte[] digest, byte[] sealed) {
}
