package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.PageResponse;
import io.tribune.api.api.TranscriptHitResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Transcripts;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/transcripts/search?q=&page=&size=}: full-text search over the transcripts of the meetings the
 * caller may read (web-search syntax: words, "quoted phrases", {@code or}, {@code -word}), best match first.
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/transcripts")
@Produces(MediaType.APPLICATION_JSON)
public final class TranscriptSearchResource {

    private final Transcripts transcripts;
    private final Callers callers;

    TranscriptSearchResource(Transcripts transcripts, Callers callers) {
        this.transcripts = transcripts;
        this.callers = callers;
    }

    @GET
    @Path("/search")
    public PageResponse<TranscriptHitResponse> search(
            @Auth AuthenticatedUser user,
            @QueryParam("q") String query,
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = Paging.PAGE, message = Paging.PAGE_MESSAGE)
            String page,
            @QueryParam("size") @DefaultValue("20") @Pattern(regexp = Paging.SIZE, message = Paging.SIZE_MESSAGE)
            String size) {
        PageResponse<Transcripts.Hit> found = transcripts.search(callers.of(user), query, Integer.parseInt(page),
                Integer.parseInt(size));
        return new PageResponse<>(found.items().stream().map(TranscriptHitResponse::of).toList(), found.page(),
                found.size(), found.total());
    }
}
