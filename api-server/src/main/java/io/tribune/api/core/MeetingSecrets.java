package io.tribune.api.core;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Keeps meeting secrets with one 32-byte server key: passcodes are stored as HMAC-SHA256 (bound to their meeting,
 * compared in constant time) and, so that hosts can read them back, sealed with AES-256-GCM; calendar-feed tokens
 * are found by their HMAC and sealed the same way. The MAC and encryption keys are derived from the server key
 * (HMAC-SHA256 of a label), so one file serves both purposes without reusing a key.
 *
 * <p>Thread-safe: keys are immutable and every operation makes its own {@link Mac}/{@link Cipher}.
 */
public final class MeetingSecrets {

    public static final int KEY_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final String AES_GCM = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec macKey;
    private final SecretKeySpec encryptionKey;
    private final SecureRandom random = new SecureRandom();

    private MeetingSecrets(byte[] serverKey) {
        if (serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("the meetings server key must be " + KEY_BYTES + " bytes, not "
                    + serverKey.length);
        }
        SecretKeySpec master = new SecretKeySpec(serverKey, HMAC);
        this.macKey = new SecretKeySpec(hmac(master, "tribune meetings mac v1"), HMAC);
        this.encryptionKey = new SecretKeySpec(hmac(master, "tribune meetings seal v1"), "AES");
    }

    public static MeetingSecrets fromKey(byte[] serverKey) {
        return new MeetingSecrets(serverKey.clone());
    }

    /**
     * Reads the key file, or creates it with {@value #KEY_BYTES} random bytes and owner-only permissions when it
     * does not exist. Two instances racing to create it both end up reading the winner's key.
     */
    public static MeetingSecrets loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException("meetings.passcodeKeyFile " + file + " holds " + key.length
                        + " bytes; it must hold exactly " + KEY_BYTES + " (delete it to create a new key, which "
                        + "makes existing passcodes unverifiable)");
            }
            return new MeetingSecrets(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create meetings.passcodeKeyFile " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(parent, ".meetings-key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, key);
            // createLink fails when another instance created the file first; then its key wins.
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // Keep the existing key.
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stored form of a meeting's passcode: HMAC over the meeting id and the passcode. */
    public byte[] passcodeDigest(String meetingId, String passcode) {
        return hmac(macKey, meetingId + "\u0000" + passcode);
    }

    /** Whether {@code candidate} is the passcode whose digest is stored; constant time in the digest. */
    public boolean passcodeMatches(String meetingId, String candidate, byte[] storedDigest) {
        if (candidate == null || storedDigest == null) {
            return false;
        }
        return MessageDigest.isEqual(passcodeDigest(meetingId, candidate), storedDigest);
    }

    /** The lookup key of a bearer token (calendar feeds): HMAC, so a database dump does not reveal tokens. */
    public byte[] tokenDigest(String token) {
        return hmac(macKey, "token\u0000" + token);
    }

    /** A signature for a link (e.g. a file's download link): HMAC over the purpose and what the link grants. */
    public byte[] linkSignature(String purpose, String grant) {
        return hmac(macKey, "link\u0000" + purpose + "\u0000" + grant);
    }

    /**
     * Encrypts {@code plaintext} for storage: nonce followed by AES-256-GCM ciphertext and tag. {@code context}
     * (e.g. the meeting id) is authenticated too, so a sealed value copied to another row does not open.
     */
    public byte[] seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(AES_GCM);
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Opens a value made by {@link #seal}.
     *
     * @throws IllegalStateException when it was sealed with another key or context, or was altered
     */
    public String open(byte[] sealed, String context) {
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed value is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(AES_GCM);
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, NONCE_BYTES)));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealed value does not open with this server key and context", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
