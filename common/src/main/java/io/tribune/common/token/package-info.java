/**
 * ES256 JWTs shared by every service: the api-server issues access and join tokens with {@link
 * io.tribune.common.token.TokenIssuer} and publishes {@link io.tribune.common.token.SigningKeys#publicJwks()} at
 * {@code /api/v1/.well-known/jwks.json}; the SFU and the meeting channel verify join tokens offline with {@link
 * io.tribune.common.token.TokenVerifier}.
 */
package io.tribune.common.token;
