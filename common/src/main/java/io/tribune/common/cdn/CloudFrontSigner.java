package io.tribune.common.cdn;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCustomPolicy;
import software.amazon.awssdk.services.cloudfront.model.CustomSignerRequest;

/**
 * Makes CloudFront signed cookies and URLs with a custom policy (a wildcard over an event's path), through the AWS
 * SDK's {@link CloudFrontUtilities}: the same signatures CloudFront itself checks and {@link CloudFrontVerifier}
 * checks at our origin. RSA-SHA1, as CloudFront's key groups expect by default. Thread-safe.
 */
public final class CloudFrontSigner {

    private final CloudFrontUtilities utilities = CloudFrontUtilities.create();
    private final String keyPairId;
    private final PrivateKey privateKey;

    /**
     * @param keyPairId  the public key's id in CloudFront (or in the origin's trusted keys)
     * @param privateKey its RSA private key
     */
    public CloudFrontSigner(String keyPairId, PrivateKey privateKey) {
        this.keyPairId = Objects.requireNonNull(keyPairId, "keyPairId");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Cookies granting every URL matching {@code resourcePattern} (e.g. {@code https://cdn.example/hls/EVENT/*})
     * until {@code expires}: names ({@code CloudFront-Policy}, {@code CloudFront-Signature},
     * {@code CloudFront-Key-Pair-Id}) to values, in that order.
     */
    public Map<String, String> cookies(String resourcePattern, Instant expires) {
        CookiesForCustomPolicy cookies = utilities.getCookiesForCustomPolicy(request(resourcePattern, expires));
        Map<String, String> out = new LinkedHashMap<>();
        for (String header : new String[] {cookies.policyHeaderValue(), cookies.signatureHeaderValue(),
                cookies.keyPairIdHeaderValue()}) {
            int equals = header.indexOf('=');
            out.put(header.substring(0, equals), header.substring(equals + 1));
        }
        return out;
    }

    /** {@code url} with {@code Policy}, {@code Signature} and {@code Key-Pair-Id} appended. */
    public String signUrl(String url, String resourcePattern, Instant expires) {
        return utilities.getSignedUrlWithCustomPolicy(request(resourcePattern, expires).toBuilder()
                .resourceUrl(url).build()).url();
    }

    private CustomSignerRequest request(String resourcePattern, Instant expires) {
        return CustomSignerRequest.builder().resourceUrl(resourcePattern).resourceUrlPattern(resourcePattern)
                .privateKey(privateKey).keyPairId(keyPairId).expirationDate(expires).build();
    }
}
