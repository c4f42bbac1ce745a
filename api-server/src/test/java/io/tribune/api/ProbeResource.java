package io.tribune.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.errors.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test-only endpoints that make the error paths reachable: a validated POST, a failure, an ApiException; and one
 * with optional authentication.
 */
@Path("/api/v1/test-probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    public record Invite(@NotBlank @JsonProperty("user_id") String userId,
                         @Min(1) @Max(100) @JsonProperty("max_guests") int maxGuests,
                         List<@Email String> emails) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Invite echo(@NotNull @Valid Invite invite) {
        return invite;
    }

    @GET
    @Path("/page")
    public Map<String, Integer> page(@QueryParam("limit") @Min(1) @Max(100) Integer limit) {
        return Map.of("limit", limit == null ? 10 : limit);
    }

    @GET
    @Path("/failure")
    public String failure() {
        throw new IllegalStateException("secret internals: password=hunter2");
    }

    /** Who is calling, for {@code @Auth Optional<AuthenticatedUser>}: a user id or {@code anonymous}. */
    @GET
    @Path("/whoami")
    public Map<String, String> whoami(@Auth Optional<AuthenticatedUser> caller) {
        return Map.of("caller", caller.map(AuthenticatedUser::userId).orElse("anonymous"));
    }

    @GET
    @Path("/locked")
    public String locked() {
        throw new ApiException(409, "meeting_locked", "The meeting is locked.", Map.of("meeting_id", "m-1"));
    }
}
