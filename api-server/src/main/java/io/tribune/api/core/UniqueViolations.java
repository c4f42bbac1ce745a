package io.tribune.api.core;

import io.tribune.api.db.UserDao;
import io.tribune.api.errors.ApiException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.util.Map;
import java.util.Optional;

/** Turns a violated unique index of {@code users} into the 409 that names the field. Stateless. */
final class UniqueViolations {

    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    /** The 409 for {@code error} when it is a duplicate email or username; empty for anything else. */
    static Optional<ApiException> conflict(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PSQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                ServerErrorMessage server = sql.getServerErrorMessage();
                String constraint = server == null ? null : server.getConstraint();
                if (UserDao.EMAIL_UNIQUE.equals(constraint)) {
                    return Optional.of(new ApiException(409, "email_taken",
                            "An account with this email address exists already.",
                            Map.of("email", "is already registered")));
                }
                if (UserDao.USERNAME_UNIQUE.equals(constraint)) {
                    return Optional.of(new ApiException(409, "username_taken", "This username is taken.",
                            Map.of("username", "is already taken")));
                }
            }
        }
        return Optional.empty();
    }
}
