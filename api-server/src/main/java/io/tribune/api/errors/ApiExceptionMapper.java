package io.tribune.api.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ApiException} to its JSON error. Only 5xx ones are logged: 4xx are the caller's business. */
@Provider
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

    @Override
    public Response toResponse(ApiException exception) {
        if (exception.status() >= 500) {
            LOG.error("Request failed with {} {}", exception.status(), exception.code(), exception);
        }
        Response response = ErrorResponses.response(exception.status(), exception.code(), exception.getMessage(),
                exception.details());
        if (exception.headers().isEmpty()) {
            return response;
        }
        Response.ResponseBuilder builder = Response.fromResponse(response);
        exception.headers().forEach(builder::header);
        return builder.build();
    }
}
