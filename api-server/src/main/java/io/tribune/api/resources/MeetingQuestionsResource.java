package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.QuestionResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.TownHallBroadcasts;
import io.tribune.api.core.TownHallQuestions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/meetings/{meeting_id}/questions}: a town hall's Q&A for people who may see the meeting, open
 * questions first, most votes first, with the caller's own votes. Asking, voting and answering happen on the
 * meeting channel ({@code question.*}), where guests in the audience are too. Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/questions")
@Produces(MediaType.APPLICATION_JSON)
public final class MeetingQuestionsResource {

    private final TownHallBroadcasts broadcasts;
    private final TownHallQuestions questions;
    private final Callers callers;

    MeetingQuestionsResource(TownHallBroadcasts broadcasts, TownHallQuestions questions, Callers callers) {
        this.broadcasts = broadcasts;
        this.questions = questions;
        this.callers = callers;
    }

    @GET
    public QuestionResponse.Page list(@Auth AuthenticatedUser user, @PathParam("meeting_id") String meetingId) {
        Caller caller = callers.of(user);
        String id = broadcasts.get(caller, meetingId).meetingId(); // 404 for strangers, 409 for a meeting
        return new QuestionResponse.Page(QuestionResponse.of(questions.list(id, caller.userId())));
    }
}
