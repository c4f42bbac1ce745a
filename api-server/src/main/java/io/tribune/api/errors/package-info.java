/**
 * Every error api-server answers is {@link io.tribune.api.api.ErrorResponse} JSON:
 * {@code {"code":"...","message":"...","details":{...}}}.
 *
 * <p>Resources throw {@link io.tribune.api.errors.ApiException} for errors they mean; the mappers here turn
 * everything else into the same shape: Jersey's own refusals (unknown path 404, 405, 406, 415), unreadable JSON
 * (400 {@code invalid_json}), Bean Validation failures (422/400 {@code validation_failed}) and unexpected
 * exceptions (500 {@code internal_error}, logged with the request id, nothing of the exception sent).
 * {@link io.tribune.api.errors.ErrorMappers} installs them in place of Dropwizard's defaults.
 */
package io.tribune.api.errors;
