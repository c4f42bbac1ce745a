package io.tribune.api.errors;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.dropwizard.jersey.validation.ConstraintMessage;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.glassfish.jersey.server.model.Invocable;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Bean Validation failures to {@code validation_failed}: 422 for an invalid request body, 400 for invalid
 * query, path or header parameters (Dropwizard's rule). {@code details} maps each field, spelled as the client
 * sent it (JSON names, {@code participants[0].email}), to what is wrong with it.
 */
@Provider
public final class ConstraintViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {

    /** The details key for a violation of the body as a whole (missing body, class-level rule). */
    public static final String BODY = "body";

    private final ObjectMapper mapper;

    public ConstraintViolationExceptionMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Response toResponse(ConstraintViolationException exception) {
        Set<ConstraintViolation<?>> violations = exception.getConstraintViolations();
        Invocable invocable = exception instanceof JerseyViolationException jersey ? jersey.getInvocable() : null;
        int status = invocable == null ? 422 : ConstraintMessage.determineStatus(violations, invocable);
        Map<String, Object> details = new TreeMap<>();
        for (ConstraintViolation<?> violation : violations) {
            String field = field(violation, invocable);
            details.merge(field, violation.getMessage(), (a, b) -> a + "; " + b);
        }
        String summary = details.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("; "));
        return ErrorResponses.response(status, "validation_failed", "The request is invalid: " + summary + ".",
                details);
    }

    String field(ConstraintViolation<?> violation, Invocable invocable) {
        StringBuilder path = new StringBuilder();
        String parameterName = null;
        JavaType type = null;
        for (Path.Node node : violation.getPropertyPath()) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.PARAMETER) {
                int index = node.as(Path.ParameterNode.class).getParameterIndex();
                parameterName = parameterName(invocable, index);
                type = parameterType(invocable, index);
                continue;
            }
            if (kind != ElementKind.PROPERTY && kind != ElementKind.CONTAINER_ELEMENT) {
                continue; // method, return value, bean (class-level) nodes name no field
            }
            if (node.isInIterable()) {
                type = type == null ? null : type.getContentType();
                Object key = node.getIndex() != null ? node.getIndex() : node.getKey();
                path.append('[').append(key == null ? "" : key).append(']');
            }
            if (kind == ElementKind.PROPERTY && node.getName() != null) {
                String jsonName = node.getName();
                if (type != null) {
                    BeanPropertyDefinition property = findProperty(type, node.getName());
                    if (property != null) {
                        jsonName = property.getName();
                        type = property.getPrimaryType();
                    } else {
                        type = null;
                    }
                }
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(jsonName);
            }
        }
        if (path.length() > 0) {
            return path.toString();
        }
        return parameterName != null ? parameterName : BODY;
    }

    private BeanPropertyDefinition findProperty(JavaType type, String internalName) {
        try {
            BeanDescription description = mapper.getDeserializationConfig().introspect(type);
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.getInternalName().equals(internalName)) {
                    return property;
                }
            }
        } catch (RuntimeException e) {
            // Introspection is a nicety: fall back to the Java name.
        }
        return null;
    }

    private JavaType parameterType(Invocable invocable, int index) {
        Method method = invocable == null ? null : invocable.getHandlingMethod();
        if (method == null || index < 0 || index >= method.getParameterCount()) {
            return null;
        }
        return mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[index]);
    }

    /** The name a client knows a resource method parameter by, or null for the request body. */
    private static String parameterName(Invocable invocable, int index) {
        Method method = invocable == null ? null : invocable.getHandlingMethod();
        if (method == null || index < 0 || index >= method.getParameterCount()) {
            return null;
        }
        for (Annotation annotation : method.getParameterAnnotations()[index]) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            } else if (annotation instanceof PathParam pathParam) {
                return pathParam.value();
            } else if (annotation instanceof HeaderParam header) {
                return header.value();
            } else if (annotation instanceof FormParam form) {
                return form.value();
            } else if (annotation instanceof CookieParam cookie) {
                return cookie.value();
            } else if (annotation instanceof MatrixParam matrix) {
                return matrix.value();
            }
        }
        return null;
    }
}
