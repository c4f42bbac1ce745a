package io.tribune.api.resources;

import io.tribune.api.api.AuditEntryResponse;
import io.tribune.api.api.PageResponse;
import io.tribune.api.core.AdminAccounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/admin/audit-log?page=1&size=50&action=&target_id=}: the audit log, newest first (admins only);
 * {@code action} keeps entries whose action starts with it ({@code recording.} or {@code recording.view}),
 * {@code target_id} those about one thing (a recording's id). Thread-safe.
 */
@Path(ApiPaths.V1 + "/admin/audit-log")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public final class AdminAuditLogResource {

    private final AdminAccounts admin;

    public AdminAuditLogResource(AdminAccounts admin) {
        this.admin = admin;
    }

    @GET
    public PageResponse<AuditEntryResponse> list(
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = Paging.PAGE, message = Paging.PAGE_MESSAGE)
            String page,
            @QueryParam("size") @DefaultValue("50") @Pattern(regexp = Paging.SIZE, message = Paging.SIZE_MESSAGE)
            String size,
            @QueryParam("action") String action,
            @QueryParam("target_id") String targetId) {
        return admin.auditLog(Integer.parseInt(page), Integer.parseInt(size), blankToNull(action),
                blankToNull(targetId));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
