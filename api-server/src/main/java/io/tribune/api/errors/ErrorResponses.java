package io.tribune.api.errors;

import io.tribune.api.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Builds JSON error responses and names the default {@code code} of each HTTP status. Stateless. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response response(int status, ErrorResponse body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    public static Response response(int status, String code, String message, Map<String, Object> details) {
        return response(status, new ErrorResponse(code, message, details));
    }

    /** The code used when nothing more specific is known about an error with this status. */
    public static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 410 -> "gone";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "validation_failed";
            case 429 -> "too_many_requests";
            case 500 -> "internal_error";
            case 501 -> "not_implemented";
            case 502 -> "bad_gateway";
            case 503 -> "service_unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "server_error" : "client_error";
        };
    }

    /** A message for people when the exception carries none worth showing. */
    public static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 401 -> "Authentication is required.";
            case 403 -> "You are not allowed to do this.";
            case 404 -> "Nothing exists at this address.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "No acceptable representation is available.";
            case 409 -> "The request conflicts with the current state.";
            case 413 -> "The request body is too large.";
            case 415 -> "This content type is not supported here.";
            case 429 -> "Too many requests; try again later.";
            case 503 -> "The service is unavailable; try again later.";
            default -> status >= 500 ? "An unexpected error occurred." : "The request cannot be processed.";
        };
    }
}
