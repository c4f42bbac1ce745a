package io.tribune.api.resources;

import com.fasterxml.jackson.annotation.JsonView;
import io.dropwizard.auth.Auth;
import io.swagger.v3.jaxrs2.ResolvedParameter;
import io.swagger.v3.jaxrs2.ext.AbstractOpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import jakarta.ws.rs.Consumes;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Teaches the OpenAPI reader about dropwizard-auth: an {@code @Auth} parameter is the caller, not a request body,
 * and its operation needs a bearer token ({@code Optional<...>}: the token is optional). Stateless.
 */
final class AuthParameterExtension extends AbstractOpenAPIExtension {

    static final String SCHEME = "bearer";

    @Override
    public ResolvedParameter extractParameters(List<Annotation> annotations, Type type, Set<Type> typesToSkip,
                                               Components components, Consumes classConsumes,
                                               Consumes methodConsumes, boolean includeRequestBody,
                                               JsonView jsonViewAnnotation, Iterator<OpenAPIExtension> chain) {
        if (annotations.stream().anyMatch(Auth.class::isInstance)) {
            return new ResolvedParameter();
        }
        return super.extractParameters(annotations, type, typesToSkip, components, classConsumes, methodConsumes,
                includeRequestBody, jsonViewAnnotation, chain);
    }

    @Override
    public void decorateOperation(Operation operation, Method method, Iterator<OpenAPIExtension> chain) {
        for (Parameter parameter : method.getParameters()) {
            if (parameter.isAnnotationPresent(Auth.class)) {
                operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
                if (parameter.getType() == java.util.Optional.class) {
                    operation.addSecurityItem(new SecurityRequirement());
                }
            }
        }
        super.decorateOperation(operation, method, chain);
    }

}
