package io.tribune.common.cdn;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks CloudFront signed URLs and signed cookies the way CloudFront does, so that an origin without a CDN in
 * front refuses what CloudFront would refuse: the key pair id must name a trusted public key, the RSA signature
 * (SHA-1 by default, SHA-256 with {@code Hash-Algorithm=SHA256}) must cover the policy, the policy's resource
 * (with {@code *} and {@code ?} wildcards) must match the request URL, now must be before {@code DateLessThan} and
 * after {@code DateGreaterThan}, and the client's address must be inside {@code IpAddress} when one is given.
 * Canned policies ({@code Expires=}) and custom policies ({@code Policy=}) are both accepted.
 *
 * <p>The request URL is the one the viewer asked for at the CDN, e.g. {@code https://cdn.example/hls/e1/a.m4s}:
 * an origin reconstructs it from its configured public base URL and the request's path and query.
 *
 * <p>Thread-safe and stateless apart from the injected clock.
 */
public final class CloudFrontVerifier {

    /** Why a request was refused, or {@link #OK}. */
    public enum Verdict {
        OK, MISSING, MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, WRONG_RESOURCE, WRONG_ADDRESS;

        public boolean allowed() {
            return this == OK;
        }
    }

    public static final String COOKIE_POLICY = "CloudFront-Policy";
    public static final String COOKIE_SIGNATURE = "CloudFront-Signature";
    public static final String COOKIE_KEY_PAIR_ID = "CloudFront-Key-Pair-Id";
    public static final String COOKIE_EXPIRES = "CloudFront-Expires";
    public static final String COOKIE_HASH_ALGORITHM = "CloudFront-Hash-Algorithm";

    /** Query parameters CloudFront consumes; they are not part of the URL a policy's resource is matched with. */
    private static final Set<String> SIGNING_PARAMETERS = Set.of("Policy", "Signature", "Key-Pair-Id", "Expires",
            "Hash-Algorithm");
    private static final int MAX_POLICY_LENGTH = 8192;
    private static final int MAX_SIGNATURE_LENGTH = 2048;

    private final Map<String, PublicKey> trustedKeys;
    private final Clock clock;

    /**
     * @param trustedKeys key pair id to RSA public key
     */
    public CloudFrontVerifier(Map<String, PublicKey> trustedKeys, Clock clock) {
        this.trustedKeys = Map.copyOf(trustedKeys);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A signed URL: {@code url} carries the signing parameters in its query.
     *
     * @param clientAddress the viewer's IP address, checked only against policies that name a range
     */
    public Verdict verifyUrl(String url, String clientAddress) {
        int question = url.indexOf('?');
        if (question < 0) {
            return Verdict.MISSING;
        }
        String policy = null;
        String signature = null;
        String keyPairId = null;
        String expires = null;
        String hashAlgorithm = null;
        List<String> kept = new ArrayList<>();
        for (String pair : url.substring(question + 1).split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!SIGNING_PARAMETERS.contains(name)) {
                kept.add(pair);
                continue;
            }
            String value;
            try {
                value = URLDecoder.decode(equals < 0 ? "" : pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Verdict.MALFORMED;
            }
            switch (name) {
                case "Policy" -> policy = value;
                case "Signature" -> signature = value;
                case "Key-Pair-Id" -> keyPairId = value;
                case "Expires" -> expires = value;
                default -> hashAlgorithm = value;
            }
        }
        String resource = url.substring(0, question) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return verify(resource, policy, expires, signature, keyPairId, hashAlgorithm, clientAddress);
    }

    /**
     * Signed cookies presented with a request for {@code resourceUrl}.
     *
     * @param cookies cookie name to value, as received
     */
    public Verdict verifyCookies(String resourceUrl, Map<String, String> cookies, String clientAddress) {
        return verify(resourceUrl, cookies.get(COOKIE_POLICY), cookies.get(COOKIE_EXPIRES),
                cookies.get(COOKIE_SIGNATURE), cookies.get(COOKIE_KEY_PAIR_ID), cookies.get(COOKIE_HASH_ALGORITHM),
                clientAddress);
    }

    private Verdict verify(String resourceUrl, String encodedPolicy, String expires, String encodedSignature,
                           String keyPairId, String hashAlgorithm, String clientAddress) {
        if (encodedSignature == null || keyPairId == null || (encodedPolicy == null && expires == null)) {
            return Verdict.MISSING;
        }
        if (encodedSignature.length() > MAX_SIGNATURE_LENGTH
                || (encodedPolicy != null && encodedPolicy.length() > MAX_POLICY_LENGTH)) {
            return Verdict.MALFORMED;
        }
        PublicKey key = trustedKeys.get(keyPairId);
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        String algorithm;
        if (hashAlgorithm == null || hashAlgorithm.equals("SHA1")) {
            algorithm = "SHA1withRSA";
        } else if (hashAlgorithm.equals("SHA256")) {
            algorithm = "SHA256withRSA";
        } else {
            return Verdict.MALFORMED;
        }
        byte[] policyBytes;
        if (encodedPolicy != null) {
            policyBytes = decode(encodedPolicy);
        } else {
            if (!expires.matches("[0-9]{1,12}")) {
                return Verdict.MALFORMED;
            }
            // A canned policy is not sent: it is this exact text, with the URL asked for as its resource.
            policyBytes = ("{\"Statement\":[{\"Resource\":\"" + jsonEscape(resourceUrl)
                    + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + Long.parseLong(expires) + "}}}]}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] signature = decode(encodedSignature);
        if (policyBytes == null || signature == null) {
            return Verdict.MALFORMED;
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(policyBytes);
            if (!verifier.verify(signature)) {
                return Verdict.BAD_SIGNATURE;
            }
        } catch (GeneralSecurityException e) {
            return Verdict.BAD_SIGNATURE;
        }
        // Only a policy that was signed is ever parsed.
        return checkPolicy(new String(policyBytes, StandardCharsets.UTF_8), resourceUrl, clientAddress);
    }

    private Verdict checkPolicy(String policyJson, String resourceUrl, String clientAddress) {
        try {
            Map<String, Object> policy = JSONObjectUtils.parse(policyJson);
            if (policy == null) { // the JSON literal null
                return Verdict.MALFORMED;
            }
            List<Object> statements = JSONObjectUtils.getJSONArray(policy, "Statement");
            if (statements == null || statements.size() != 1 || !(statements.get(0) instanceof Map)) {
                return Verdict.MALFORMED;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> statement = (Map<String, Object>) statements.get(0);
            String resource = JSONObjectUtils.getString(statement, "Resource");
            Map<String, Object> condition = JSONObjectUtils.getJSONObject(statement, "Condition");
            if (condition == null) {
                return Verdict.MALFORMED;
            }
            Long notAfter = epochTime(condition, "DateLessThan");
            if (notAfter == null) {
                return Verdict.MALFORMED;
            }
            long now = clock.instant().getEpochSecond();
            if (now >= notAfter) {
                return Verdict.EXPIRED;
            }
            Long notBefore = epochTime(condition, "DateGreaterThan");
            if (notBefore != null && now <= notBefore) {
                return Verdict.NOT_YET_VALID;
            }
            // A custom policy without a resource grants every URL of the distribution.
            if (resource != null && !Wildcards.matches(resource, resourceUrl)) {
                return Verdict.WRONG_RESOURCE;
            }
            Map<String, Object> ip = JSONObjectUtils.getJSONObject(condition, "IpAddress");
            if (ip != null) {
                String range = JSONObjectUtils.getString(ip, "AWS:SourceIp");
                if (range == null) {
                    return Verdict.MALFORMED;
                }
                if (clientAddress == null || !inRange(clientAddress, range)) {
                    return Verdict.WRONG_ADDRESS;
                }
            }
            return Verdict.OK;
        } catch (ParseException | ClassCastException e) {
            return Verdict.MALFORMED;
        }
    }

    private static Long epochTime(Map<String, Object> condition, String name) throws ParseException {
        Map<String, Object> date = JSONObjectUtils.getJSONObject(condition, name);
        if (date == null) {
            return null;
        }
        Object value = date.get("AWS:EpochTime");
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new ParseException(name + " has no numeric AWS:EpochTime", 0);
    }

    /** CloudFront's URL-safe base64: '+' as '-', '=' as '_', '/' as '~'. Null when invalid. */
    static byte[] decode(String value) {
        try {
            return Base64.getDecoder().decode(value.replace('-', '+').replace('_', '=').replace('~', '/'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean inRange(String address, String cidr) {
        try {
            int slash = cidr.indexOf('/');
            byte[] network = literalAddress(slash < 0 ? cidr : cidr.substring(0, slash));
            byte[] client = literalAddress(address);
            if (network == null || client == null || network.length != client.length) {
                return false;
            }
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > network.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((network[i / 8] & mask) != (client[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The bytes of an IPv4 or IPv6 literal, never a DNS lookup; null if it is no literal. */
    private static byte[] literalAddress(String text) {
        if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String jsonEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
