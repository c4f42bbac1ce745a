package io.tribune.api.resources;

import io.tribune.api.api.StatusResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;

/** {@code GET /api/v1/status}: a public liveness answer for the CLI, load balancers and tests. Thread-safe. */
@Path(ApiPaths.V1 + "/status")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {

    public static final String SERVICE = "api-server";

    private final String version;
    private final Clock clock;

    public StatusResource(String version, Clock clock) {
        this.version = version;
        this.clock = clock;
    }

    @GET
    public StatusResponse status() {
        return new StatusResponse(SERVICE, version, clock.instant());
    }
}
