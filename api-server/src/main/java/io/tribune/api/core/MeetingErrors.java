package io.tribune.api.core;

import io.tribune.api.errors.ApiException;

import java.util.Map;

/** The errors meeting rules answer with, so each reads the same wherever it is raised. Stateless. */
public final class MeetingErrors {

    private MeetingErrors() {
    }

    /**
     * 404 for a meeting that does not exist and for one the caller may not know about: telling the two apart
     * would confirm that a guessed or leaked id exists.
     */
    public static ApiException notFound(String meetingId) {
        return new ApiException(404, "meeting_not_found", "No meeting " + meetingId + " is visible to you.",
                Map.of("meeting_id", meetingId));
    }

    public static ApiException forbidden(String meetingId, String message) {
        return new ApiException(403, "forbidden", message, Map.of("meeting_id", meetingId));
    }

    public static ApiException cancelled(String meetingId) {
        return new ApiException(409, "meeting_cancelled", "Meeting " + meetingId + " has been cancelled.",
                Map.of("meeting_id", meetingId));
    }

    public static ApiException occurrenceNotFound(String meetingId, String occurrence) {
        return new ApiException(404, "occurrence_not_found", "Meeting " + meetingId
                + " has no occurrence starting at " + occurrence + ".",
                Map.of("meeting_id", meetingId, "occurrence", occurrence));
    }
}
