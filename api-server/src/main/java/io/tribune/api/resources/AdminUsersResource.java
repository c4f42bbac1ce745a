package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.AdminUserResponse;
import io.tribune.api.api.AdminUserUpdateRequest;
import io.tribune.api.api.FieldRules;
import io.tribune.api.api.PageResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.auth.PlatformRole;
import io.tribune.api.core.AdminAccounts;
import io.tribune.api.errors.ApiException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.UUID;

/**
 * {@code /api/v1/admin/users}: accounts as admins manage them (admins only). Thread-safe.
 */
@Path(ApiPaths.V1 + "/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public final class AdminUsersResource {

    private final AdminAccounts admin;

    public AdminUsersResource(AdminAccounts admin) {
        this.admin = admin;
    }

    /**
     * {@code ?page=1&size=20&q=text&role=admin}: live accounts, oldest first; {@code q} matches username or email
     * ignoring case.
     */
    @GET
    public PageResponse<AdminUserResponse> list(
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = Paging.PAGE, message = Paging.PAGE_MESSAGE)
            String page,
            @QueryParam("size") @DefaultValue("20") @Pattern(regexp = Paging.SIZE, message = Paging.SIZE_MESSAGE)
            String size,
            @QueryParam("q") @Size(max = 254)
            @Pattern(regexp = FieldRules.NO_CONTROL_CHARACTERS, message = FieldRules.NO_CONTROL_CHARACTERS_MESSAGE)
            String query,
            @QueryParam("role") @Pattern(regexp = "^(admin|host|member)$", message = "must be admin, host or member")
            String role) {
        return admin.list(Integer.parseInt(page), Integer.parseInt(size), query,
                role == null ? null : PlatformRole.parse(role));
    }

    /** {@code {"role": "host"}}, {@code {"disabled": true}} or both. */
    @PATCH
    @Path("/{user_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AdminUserResponse update(@Auth AuthenticatedUser caller, @PathParam("user_id") String userId,
                                    @NotNull @Valid AdminUserUpdateRequest request) {
        if (!request.changesSomething()) {
            throw UsersResource.nothingToChange("role, disabled");
        }
        UUID id;
        try {
            id = UUID.fromString(userId);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "user_not_found", "No such user.");
        }
        return admin.update(caller, id, request);
    }
}
