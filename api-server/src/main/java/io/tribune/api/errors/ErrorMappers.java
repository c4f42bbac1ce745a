package io.tribune.api.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import io.dropwizard.jersey.setup.JerseyEnvironment;

/**
 * Puts our JSON error mappers in place of Dropwizard's defaults, so that every error the API answers has the
 * {@link io.tribune.api.api.ErrorResponse} shape.
 */
public final class ErrorMappers {

    private ErrorMappers() {
    }

    public static void register(ServerFactory serverFactory, JerseyEnvironment jersey, ObjectMapper mapper) {
        if (serverFactory instanceof AbstractServerFactory factory) {
            // Two mappers for one exception type would be an ambiguity Jersey resolves arbitrarily.
            factory.setRegisterDefaultExceptionMappers(false);
        }
        jersey.register(new ApiExceptionMapper());
        jersey.register(new WebApplicationExceptionMapper());
        jersey.register(new JsonProcessingExceptionMapper());
        jersey.register(new ConstraintViolationExceptionMapper(mapper));
        jersey.register(new EmptyOptionalExceptionMapper());
        jersey.register(new UnexpectedExceptionMapper());
        // Kept from Dropwizard: a client that hangs up mid-request is not a server error worth a stack trace.
        jersey.register(new EarlyEofExceptionMapper());
        jersey.register(EofExceptionWriterInterceptor.class);
    }
}
