package io.tribune.api.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Jersey's and our {@link WebApplicationException}s (unknown route 404, 405, 406, 415, ...) to JSON errors.
 * Headers of the original response that still apply ({@code Allow}, {@code Retry-After}, ...) are kept.
 */
@Provider
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Logger LOG = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

    /** Jersey's stock messages ("HTTP 404 Not Found") say nothing the status does not. */
    private static final Pattern STOCK_MESSAGE = Pattern.compile("HTTP \\d{3} .*");

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        int status = original.getStatus();
        if (status < 400) {
            return original; // redirects and the like are not errors
        }
        if (status >= 500) {
            LOG.error("Request failed with {}", status, exception);
        }
        String message = exception.getMessage();
        if (message == null || message.isBlank() || STOCK_MESSAGE.matcher(message).matches()) {
            message = ErrorResponses.defaultMessage(status);
        }
        Response.ResponseBuilder builder = Response.fromResponse(
                ErrorResponses.response(status, ErrorResponses.defaultCode(status), message, Map.of()));
        for (Map.Entry<String, List<Object>> header : original.getHeaders().entrySet()) {
            String name = header.getKey();
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                for (Object value : header.getValue()) {
                    builder.header(name, value);
                }
            }
        }
        return builder.build();
    }
}
