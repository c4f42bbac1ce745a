package io.tribune.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.tribune.api.api.AdminUserResponse;
import io.tribune.api.api.AuditEntryResponse;
import io.tribune.api.api.UserResponse;
import io.tribune.api.db.AuditEntryRow;
import io.tribune.api.db.UserRow;

/** Database rows to API records (never sent as they are). Stateless. */
public final class AccountViews {

    private AccountViews() {
    }

    public static UserResponse user(UserRow row) {
        return new UserResponse(row.id().toString(), row.username(), row.email(), row.role(), row.isEmailVerified(),
                row.createdAt());
    }

    public static AdminUserResponse adminUser(UserRow row) {
        return new AdminUserResponse(row.id().toString(), row.username(), row.email(), row.role(), row.disabled(),
                row.isEmailVerified(), row.createdAt(), row.updatedAt());
    }

    public static AuditEntryResponse auditEntry(AuditEntryRow row, JsonNode details) {
        return new AuditEntryResponse(row.id(), row.actorId() == null ? null : row.actorId().toString(),
                row.action(), row.targetType(), row.targetId(), details, row.createdAt(), row.requestId());
    }
}
