package io.tribune.api.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A person's role on the whole deployment. {@code admin} runs the deployment, {@code host} may schedule
 * meetings and town halls, {@code member} may join and schedule meetings (not town halls). Per-meeting roles
 * are {@code io.tribune.api.core.MeetingRole}.
 */
public enum PlatformRole {
    ADMIN, HOST, MEMBER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin}, {@code host} or {@code member}; throws {@link IllegalArgumentException} otherwise. */
    @JsonCreator
    public static PlatformRole parse(String value) {
        if (value != null) {
            for (PlatformRole role : values()) {
                if (role.wireName().equals(value)) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of admin, host, member");
    }
}
