package io.tribune.api.core;

/**
 * Where a request came from, as far as the server can tell: the client IP (the proxy's, unless the connector
 * trusts {@code X-Forwarded-For}: {@code useForwardedHeaders}) and the User-Agent (truncated). Immutable.
 */
public record ClientInfo(String ipAddress, String userAgent) {

    static final int MAX_USER_AGENT = 512;

    public ClientInfo {
        ipAddress = ipAddress == null || ipAddress.isBlank() ? "unknown" : ipAddress;
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
    }
}
