package io.tribune.api.core;

import org.jdbi.v3.core.Handle;

import java.util.UUID;

/**
 * Contributes one section to an account's data export ({@code GET /api/v1/users/{id}/export}, GDPR Art. 15 and
 * 20): everything its part of api-server holds about the account. Register with
 * {@link UserDataHooks#addExporter}. Implementations must be thread-safe.
 */
public interface UserDataExporter {

    /**
     * The section's key in the export document, snake_case ({@code meetings}); unique among exporters and not
     * one of the built-in sections ({@code exported_at}, {@code profile}, {@code sessions}, {@code audit_log}).
     */
    String section();

    /**
     * The section's content, serialised with the API's JSON mapper (records with snake_case
     * {@code @JsonProperty} names, lists, maps). Runs in a read-only transaction shared by every section.
     */
    Object export(Handle handle, UUID userId);
}
