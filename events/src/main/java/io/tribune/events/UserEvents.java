package io.tribune.events;

import java.util.Objects;

/** Events on {@link Topics#USERS}, keyed by user id. They never carry a password, token or secret. */
public final class UserEvents {

    private UserEvents() {
    }

    @EventType(value = "user.registered", topic = Topics.USERS)
    public record Registered(String userId, String username, String email) implements EventData {
        public Registered {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public String key() {
            return userId;
        }
    }

    @EventType(value = "user.updated", topic = Topics.USERS)
    public record Updated(String userId, String username, String email) implements EventData {
        @Override
        public String key() {
            return userId;
        }
    }

    /** The account was erased (GDPR); consumers drop what they hold about it. */
    @EventType(value = "user.deleted", topic = Topics.USERS)
    public record Deleted(String userId) implements EventData {
        @Override
        public String key() {
            return userId;
        }
    }

    @EventType(value = "user.role_changed", topic = Topics.USERS)
    public record RoleChanged(String userId, String role, String changedBy) implements EventData {
        @Override
        public String key() {
            return userId;
        }
    }

    @EventType(value = "user.disabled", topic = Topics.USERS)
    public record Disabled(String userId, boolean disabled, String changedBy) implements EventData {
        @Override
        public String key() {
            return userId;
        }
    }

    /**
     * An email-verification mail is due. {@code linkId} identifies a one-time link the api-server resolves; the
     * secret token itself never leaves the api-server's database.
     */
    @EventType(value = "user.verification_requested", topic = Topics.USERS)
    public record VerificationRequested(String userId, String email, String linkId) implements EventData {
        @Override
        public String key() {
            return userId;
        }
    }

    /** A password-reset mail is due; see {@link VerificationRequested} for {@code linkId}. */
    @EventType(value = "user.password_reset_requested", topic = Topics.USERS)
    public record PasswordResetRequested(String userId, String email, String linkId) implements EventData {
        @Override
        public String key() {
            return userId;
        }
    }
}
