package io.tribune.api.errors;

import io.tribune.api.logging.RequestIdFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.glassfish.jersey.server.internal.LocalizationMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Everything no other mapper claims: logged with its stack trace (the log line carries the request id through
 * the MDC), answered 500 {@code internal_error} with the request id and nothing of the exception.
 */
@Provider
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable exception) {
        // Jersey signals a @FormParam method called with another content type this way.
        if (exception instanceof IllegalStateException
                && LocalizationMessages.FORM_PARAM_CONTENT_TYPE_ERROR().equals(exception.getMessage())) {
            return ErrorResponses.response(415, "unsupported_media_type", ErrorResponses.defaultMessage(415), Map.of());
        }
        String requestId = RequestIdFilter.current().orElse("unknown");
        LOG.error("Unexpected error (request id {})", requestId, exception);
        return ErrorResponses.response(500, "internal_error",
                "An unexpected error occurred. Quote request id " + requestId + " when reporting it.",
                Map.of("request_id", requestId));
    }
}
