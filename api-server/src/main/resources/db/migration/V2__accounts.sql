-- Accounts: users, login sessions with rotating refresh tokens, one-time email links, and the audit log.

-- An erased account (GDPR) keeps its row, so that what other tables say about it (meetings it hosted) keeps a
-- valid reference, but loses everything personal: username, email and password hash become NULL.
CREATE TABLE users (
    id                uuid        PRIMARY KEY,
    username          text        NULL,
    email             text        NULL,
    -- Argon2id in PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
    password_hash     text        NULL,
    role              text        NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'host', 'member')),
    disabled          boolean     NOT NULL DEFAULT false,
    email_verified_at timestamptz NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    deleted_at        timestamptz NULL,
    CONSTRAINT users_live_have_credentials CHECK (
        deleted_at IS NOT NULL OR (username IS NOT NULL AND email IS NOT NULL AND password_hash IS NOT NULL))
);

-- Case-insensitive uniqueness (what citext would give, without the extension). Erased rows hold NULLs, which
-- never collide, so an erased address can register again.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
-- The last-admin check and the admin list's role filter.
CREATE INDEX users_role_idx ON users (role) WHERE deleted_at IS NULL;

-- A login session: one refresh-token family. Every access token names its session (claim sid), so revoking the
-- session ends the refresh tokens and the access tokens of that login at once.
CREATE TABLE sessions (
    id             uuid        PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    last_used_at   timestamptz NOT NULL,
    -- When the newest refresh token of the family expires.
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz NULL,
    -- logout, refresh_token_reuse, password_changed, password_reset, disabled, erased
    revoked_reason text        NULL,
    -- Shown to the account holder (export); erased with the account.
    user_agent     text        NULL,
    ip_address     text        NULL
);

CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Opaque refresh tokens (256 random bits), stored as SHA-256. A token is used once: refreshing marks it rotated
-- and issues the next one of the family; presenting a rotated token again revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    session_id  uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz NULL
);

CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- One-time links mailed for email verification and password reset. The link id (256 random bits) is the
-- secret: it travels in the user.* event to the mailer and is stored here only as SHA-256.
CREATE TABLE one_time_links (
    id_hash    bytea       PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    -- The address the link was sent to: a verification link verifies only that address.
    email      text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NULL
);

CREATE INDEX one_time_links_user_idx ON one_time_links (user_id, purpose);
CREATE INDEX one_time_links_expires_idx ON one_time_links (expires_at);

-- Who did what to whom: every admin action and the security events of accounts. Entries name people by id
-- only; details never hold an email address, name or secret, so erasing an account leaves nothing personal.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    -- NULL: the system (bootstrap, automatic revocation).
    actor_id    uuid        NULL,
    action      text        NOT NULL,
    target_type text        NOT NULL,
    target_id   text        NOT NULL,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL,
    request_id  text        NULL
);

CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id) WHERE actor_id IS NOT NULL;
