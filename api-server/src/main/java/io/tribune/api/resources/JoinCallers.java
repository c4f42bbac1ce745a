package io.tribune.api.resources;

import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.Caller;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.Optional;

/**
 * What join endpoints share: who the caller is when signing in is optional, where they connect from, and how an
 * outcome becomes a response. Thread-safe.
 */
final class JoinCallers {

    private final Callers callers;
    private final MeetingViews views;

    JoinCallers(Callers callers, MeetingViews views) {
        this.callers = callers;
        this.views = views;
    }

    /**
     * The signed-in caller, or null for a guest. A request that carries credentials which do not verify is 401:
     * a broken or expired token must not silently turn its holder into a guest.
     *
     * @param bodyUserId the body's {@code user_id}, which must be the caller's own
     */
    Caller caller(Optional<AuthenticatedUser> user, String authorization, String bodyUserId) {
        if (user.isEmpty()) {
            if (authorization != null) {
                throw new ApiException(401, "invalid_token", "The access token is invalid or expired.", Map.of());
            }
            if (bodyUserId != null) {
                throw new ApiException(401, "unauthorized", "Sign in to join as user " + bodyUserId + ".",
                        Map.of("user_id", "needs a bearer token for that user"));
            }
            return null;
        }
        if (bodyUserId != null && !bodyUserId.equals(user.get().userId())) {
            throw new ApiException(403, "forbidden", "user_id must be your own user id.",
                    Map.of("user_id", "must be your own user id"));
        }
        return callers.of(user.get());
    }

    /** The client's address (the forwarded one when the connector trusts X-Forwarded-For). */
    static String address(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        return address == null || address.isBlank() ? "unknown" : address;
    }

    Response respond(MeetingJoiner.Outcome outcome) {
        if (outcome instanceof MeetingJoiner.Granted granted) {
            return Response.ok(views.joined(granted)).build();
        }
        MeetingJoiner.Waiting waiting = (MeetingJoiner.Waiting) outcome;
        return Response.accepted(views.waiting(waiting)).build();
    }
}
