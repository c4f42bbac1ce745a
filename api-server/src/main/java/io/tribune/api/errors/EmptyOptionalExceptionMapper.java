package io.tribune.api.errors;

import io.dropwizard.jersey.optional.EmptyOptionalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/** A resource method that returned an empty {@code Optional}: the thing asked for does not exist. */
@Provider
public final class EmptyOptionalExceptionMapper implements ExceptionMapper<EmptyOptionalException> {

    @Override
    public Response toResponse(EmptyOptionalException exception) {
        return ErrorResponses.response(404, "not_found", ErrorResponses.defaultMessage(404), Map.of());
    }
}
