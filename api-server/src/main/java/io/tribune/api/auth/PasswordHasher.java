package io.tribune.api.auth;

import io.tribune.api.errors.ApiException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashes (RFC 9106) with Bouncy Castle, stored as PHC strings:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (salt and hash in unpadded standard Base64).
 *
 * <p>A stored hash carries its own parameters, so hashes made with older parameters still verify after the
 * configuration changes; {@link #needsRehash} tells the caller to store a new hash at the next successful login.
 * Comparison is constant-time. Each hash holds {@code memory} of RAM while it runs, so at most
 * {@code maxConcurrent} run at once (the others wait up to {@code maxWait}): 256 request threads hashing at once
 * would otherwise need 256 x 19 MiB.
 *
 * <p>Thread-safe.
 */
public final class PasswordHasher {

    /** Parameters of the Argon2id hashes this instance creates. Immutable. */
    public record Parameters(int memoryKib, int iterations, int parallelism) {
        /** OWASP's first recommendation for Argon2id: 19 MiB, 2 iterations, 1 lane. */
        public static final Parameters OWASP = new Parameters(19 * 1024, 2, 1);

        public Parameters {
            if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("memory must be 8 KiB per lane .. 1 GiB, not " + memoryKib
                        + " KiB");
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS);
            }
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM);
            }
        }
    }

    /** The hash could not start in time because too many were running: 503 with {@code Retry-After: 1}. */
    public static final class BusyException extends ApiException {
        private static final long serialVersionUID = 1L;

        BusyException() {
            super(503, "busy", "The server is busy checking passwords; try again in a moment.", Map.of(),
                    Map.of("Retry-After", "1"));
        }
    }

    // Bounds for parameters read back from stored hashes, so a corrupt row cannot make us allocate gigabytes.
    static final int MAX_MEMORY_KIB = 1024 * 1024;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})"
            + "\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private final Parameters parameters;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore permits;
    private final int maxConcurrent;
    private final long maxWaitMillis;
    /** Verified against when an account does not exist, so that the answer takes as long as for one that does. */
    private final String decoy;

    public PasswordHasher(Parameters parameters, int maxConcurrent, Duration maxWait) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.permits = new Semaphore(maxConcurrent, true);
        this.maxConcurrent = maxConcurrent;
        this.maxWaitMillis = maxWait.toMillis();
        this.decoy = hash("decoy password that matches nothing");
    }

    public Parameters parameters() {
        return parameters;
    }

    /** A new PHC string for {@code password} with a fresh random salt and this instance's parameters. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, parameters, HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKib() + ",t=" + parameters.iterations() + ",p="
                + parameters.parallelism() + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code phc}. False, never an exception, for a null, malformed or
     * unsupported stored hash.
     */
    public boolean verify(String password, String phc) {
        Parsed parsed = parse(phc);
        if (parsed == null || password == null) {
            return false;
        }
        byte[] actual = derive(password, parsed.salt(), parsed.parameters(), parsed.hash().length);
        return MessageDigest.isEqual(actual, parsed.hash());
    }

    /**
     * Spends the time of one verification and returns false: for logins naming no account, so the answer
     * does not reveal whether the account exists.
     */
    public boolean verifyDecoy(String password) {
        verify(password == null ? "" : password, decoy);
        return false;
    }

    /** Hashes being computed right now. */
    int inProgress() {
        return maxConcurrent - permits.availablePermits();
    }

    /** Whether {@code phc} was made with other parameters than this instance's (or cannot be read). */
    public boolean needsRehash(String phc) {
        Parsed parsed = parse(phc);
        return parsed == null || !parsed.parameters().equals(parameters) || parsed.hash().length != HASH_BYTES;
    }

    private record Parsed(Parameters parameters, byte[] salt, byte[] hash) {
    }

    /** The parts of a PHC string, or null when it is not an Argon2id v19 hash within our bounds. */
    private static Parsed parse(String phc) {
        if (phc == null || phc.length() > 256) {
            return null;
        }
        Matcher matcher = PHC.matcher(phc);
        if (!matcher.matches()) {
            return null;
        }
        try {
            Parameters parameters = new Parameters(Integer.parseInt(matcher.group(1)),
                    Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
            byte[] salt = DECODER.decode(matcher.group(4));
            byte[] hash = DECODER.decode(matcher.group(5));
            if (salt.length < 8 || hash.length < 16) {
                return null;
            }
            return new Parsed(parameters, salt, hash);
        } catch (IllegalArgumentException e) {
            return null; // out-of-bounds parameters or bad Base64
        }
    }

    private byte[] derive(String password, byte[] salt, Parameters parameters, int length) {
        acquire();
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(parameters.memoryKib())
                    .withIterations(parameters.iterations())
                    .withParallelism(parameters.parallelism())
                    .withSalt(salt)
                    .build());
            byte[] out = new byte[length];
            generator.generateBytes(secret, out);
            return out;
        } finally {
            Arrays.fill(secret, (byte) 0);
            permits.release();
        }
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
    }
}
