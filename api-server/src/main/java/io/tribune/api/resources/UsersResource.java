package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.tribune.api.api.AcceptedResponse;
import io.tribune.api.api.LoginRequest;
import io.tribune.api.api.LoginResponse;
import io.tribune.api.api.PasswordResetConfirmRequest;
import io.tribune.api.api.PasswordResetRequest;
import io.tribune.api.api.RefreshRequest;
import io.tribune.api.api.RegisterRequest;
import io.tribune.api.api.UpdateUserRequest;
import io.tribune.api.api.UserExportResponse;
import io.tribune.api.api.UserResponse;
import io.tribune.api.api.VerifyEmailRequest;
import io.tribune.api.auth.AccessTokens;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.AccountErasure;
import io.tribune.api.core.AccountExport;
import io.tribune.api.core.AccountViews;
import io.tribune.api.core.Accounts;
import io.tribune.api.core.ClientInfo;
import io.tribune.api.core.Sessions;
import io.tribune.api.db.UserRow;
import io.tribune.api.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/users}: registration, login sessions, email verification, password reset, and an account's
 * profile, erasure and data export.
 *
 * <p>Access to {@code /users/{user_id}...}: the account itself or an admin. Anyone else gets 403, whether or not
 * the account exists (so the answer reveals nothing about which ids exist); an admin gets 404 for an id with no
 * live account.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
@Path(ApiPaths.V1 + "/users")
@Produces(MediaType.APPLICATION_JSON)
public final class UsersResource {

    static final String USER_ID = "user_id";
    static final String ACCESS_TOKEN = OAuthCredentialAuthFilter.OAUTH_ACCESS_TOKEN_PARAM;

    private final Accounts accounts;
    private final Sessions sessions;
    private final AccountErasure erasure;
    private final AccountExport export;
    private final AccessTokens accessTokens;

    public UsersResource(Accounts accounts, Sessions sessions, AccountErasure erasure, AccountExport export,
                         AccessTokens accessTokens) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.erasure = erasure;
        this.export = export;
        this.accessTokens = accessTokens;
    }

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@NotNull @Valid RegisterRequest request) {
        UserRow user = accounts.register(request);
        return Response.created(URI.create(ApiPaths.V1 + "/users/" + user.id()))
                .entity(AccountViews.user(user))
                .build();
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(@NotNull @Valid LoginRequest request, @Context HttpServletRequest http) {
        return noStore(sessions.login(request.email(), request.password(), client(http)));
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response refresh(@NotNull @Valid RefreshRequest request) {
        return noStore(sessions.refresh(request.refreshToken()));
    }

    /** Ends the session of the access token: its refresh tokens and all its access tokens stop working. */
    @POST
    @Path("/logout")
    public Response logout(@Auth AuthenticatedUser caller,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @QueryParam(ACCESS_TOKEN) String queryToken) {
        sessions.logout(grant(authorization, queryToken).sessionId());
        return Response.noContent().build();
    }

    @POST
    @Path("/verify-email")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserResponse verifyEmail(@NotNull @Valid VerifyEmailRequest request) {
        return AccountViews.user(accounts.verifyEmail(request.linkId()));
    }

    /** Always 202: whether an account has the address is not revealed. */
    @POST
    @Path("/password-reset")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response requestPasswordReset(@NotNull @Valid PasswordResetRequest request) {
        accounts.requestPasswordReset(request.email());
        return Response.accepted(new AcceptedResponse(
                "If an account has this address, a password-reset link is on its way.")).build();
    }

    @POST
    @Path("/password-reset/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response confirmPasswordReset(@NotNull @Valid PasswordResetConfirmRequest request) {
        accounts.confirmPasswordReset(request.linkId(), request.newPassword());
        return Response.noContent().build();
    }

    @GET
    @Path("/{user_id}")
    public UserResponse get(@Auth AuthenticatedUser caller, @PathParam(USER_ID) String userId) {
        UUID id = accessibleId(caller, userId);
        return accounts.find(id).map(AccountViews::user).orElseThrow(UsersResource::notFound);
    }

    @PATCH
    @Path("/{user_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserResponse update(@Auth AuthenticatedUser caller, @PathParam(USER_ID) String userId,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @QueryParam(ACCESS_TOKEN) String queryToken,
                               @NotNull @Valid UpdateUserRequest request, @Context HttpServletRequest http) {
        UUID id = accessibleId(caller, userId);
        if (!request.changesSomething()) {
            throw nothingToChange("username, email, new_password");
        }
        return AccountViews.user(accounts.update(caller, grant(authorization, queryToken).sessionId(), id, request,
                client(http)));
    }

    /** Erases the account (GDPR): 204, and its tokens stop working. */
    @DELETE
    @Path("/{user_id}")
    public Response erase(@Auth AuthenticatedUser caller, @PathParam(USER_ID) String userId) {
        erasure.erase(caller, accessibleId(caller, userId));
        return Response.noContent().build();
    }

    /** Everything api-server holds about the account, as a JSON download. */
    @GET
    @Path("/{user_id}/export")
    public Response export(@Auth AuthenticatedUser caller, @PathParam(USER_ID) String userId) {
        UUID id = accessibleId(caller, userId);
        UserExportResponse body = export.export(caller, id);
        return Response.ok(body)
                .header("Content-Disposition", "attachment; filename=\"tribune-export-" + id + ".json\"")
                .cacheControl(noStoreCache())
                .build();
    }

    /** The id, when the caller may see it: the account itself or an admin. */
    private static UUID accessibleId(AuthenticatedUser caller, String userId) {
        if (!caller.isSelfOrAdmin(userId)) {
            throw new ApiException(403, "forbidden", "You can only see and change your own account.");
        }
        try {
            return UUID.fromString(userId);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    /**
     * The caller's token again, for its session: the auth filter accepted it a moment ago, from the header or
     * (as dropwizard-auth allows) the {@code access_token} query parameter.
     */
    private AccessTokens.Grant grant(String authorization, String queryToken) {
        Optional<AccessTokens.Grant> grant = authorization != null
                ? accessTokens.verifyHeader(authorization)
                : Optional.ofNullable(queryToken).flatMap(accessTokens::verify);
        return grant.orElseThrow(() -> new ApiException(401, "unauthorized", "The access token is no longer valid."));
    }

    static ClientInfo client(HttpServletRequest http) {
        return new ClientInfo(http.getRemoteAddr(), http.getHeader(HttpHeaders.USER_AGENT));
    }

    /** 422 for a PATCH body without any field to change. */
    static ApiException nothingToChange(String fields) {
        return new ApiException(422, "validation_failed", "The request is invalid: body must change at least one "
                + "of " + fields + ".", Map.of("body", "must change at least one of " + fields));
    }

    private static ApiException notFound() {
        return new ApiException(404, "user_not_found", "No such user.");
    }

    private static Response noStore(LoginResponse tokens) {
        // RFC 6749 §5.1: responses with tokens must not be cached.
        return Response.ok(tokens).cacheControl(noStoreCache()).header("Pragma", "no-cache").build();
    }

    private static CacheControl noStoreCache() {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return cache;
    }
}
