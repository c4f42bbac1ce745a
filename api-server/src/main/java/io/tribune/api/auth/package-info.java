/**
 * Authentication: passwords, tokens and who the caller is.
 *
 * <pre>
 *  POST /users/login ──► LoginThrottle (Redis: failures per account and per IP; 429 + Retry-After)
 *                    ──► PasswordHasher (Argon2id, PHC strings, at most maxConcurrent at once)
 *                    ──► session row + refresh token (SHA-256 in PostgreSQL) ──► AccessTokens.issue
 *                                                        (ES256 JWT: aud api, sub, sid, role; 15 minutes)
 *
 *  any request with "Authorization: Bearer ..."
 *     OAuthCredentialAuthFilter (dropwizard-auth) ──► AccessTokens.authenticate
 *        ──► TokenVerifier (common: signature by our keys, iss, aud, exp/nbf with clock skew)
 *        ──► AccessState (Redis, one MGET: session live? account's current role / disabled?;
 *                          PostgreSQL on a miss or while Redis is down)
 *        ──► AuthenticatedUser for @Auth; RoleAuthorizer for @RolesAllowed
 *     no or bad token: BearerUnauthorizedHandler ──► 401 JSON + WWW-Authenticate: Bearer
 * </pre>
 *
 * Revocations (logout, refresh-token reuse, password change or reset, disable, erasure, role change) are
 * written to PostgreSQL and, inside the same transaction as its last step, to {@link
 * io.tribune.api.auth.AccessState}: a token stops working at once, on every instance.
 */
package io.tribune.api.auth;
