package io.tribune.api.errors;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request body Jackson could not read: 400 {@code invalid_json}, with where (line, column) or which field
 * when known. Jackson's own messages name Java classes, so they are not passed on. Errors on our side
 * (a type Jackson cannot handle, a response it cannot write) are 500s and logged.
 */
@Provider
public final class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonProcessingExceptionMapper.class);

    @Override
    public Response toResponse(JsonProcessingException exception) {
        if (exception instanceof InvalidDefinitionException || exception instanceof JsonGenerationException) {
            return new UnexpectedExceptionMapper().toResponse(exception);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        String message;
        if (exception instanceof JsonParseException) {
            message = "The request body is not valid JSON.";
        } else if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = fieldPath(mapping);
            details.put("field", field);
            message = "The request body has an invalid field: " + field + " " + problem(mapping) + ".";
        } else if (exception instanceof MismatchedInputException) {
            message = "The request body does not have the expected shape.";
        } else {
            message = "The request body is not valid JSON.";
        }
        JsonLocation location = exception.getLocation();
        if (location != null && location.getLineNr() > 0) {
            details.put("line", location.getLineNr());
            details.put("column", location.getColumnNr());
        }
        LOG.debug("Unreadable request body", exception);
        return ErrorResponses.response(400, "invalid_json", message, details);
    }

    private static String problem(JsonMappingException exception) {
        if (exception instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (exception instanceof InvalidFormatException) {
            return "has an invalid value";
        }
        return "has the wrong type";
    }

    /** {@code participants[2].email} from Jackson's reference chain. */
    static String fieldPath(JsonMappingException exception) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
