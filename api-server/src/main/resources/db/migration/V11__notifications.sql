-- Notifications the api-server owns (DECISIONS: notification preferences are the api-server's): each person's
-- preferences, their browsers' Web Push subscriptions, and in-app notifications. The notification-worker keeps
-- only its delivery log in its own schema.

-- One row per user who changed something; no row = the defaults (everything on, reminders 10 minutes before).
-- disabled: the (channel, kind) pairs turned off, as a JSON array of "channel:kind" strings, e.g. ["email:reminders"].
CREATE TABLE notification_preferences (
    user_id                uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    disabled               jsonb       NOT NULL DEFAULT '[]'::jsonb,
    reminder_lead_minutes  integer     NOT NULL DEFAULT 10 CHECK (reminder_lead_minutes BETWEEN 0 AND 1440),
    updated_at             timestamptz NOT NULL
);

-- Invitees without an account who clicked an unsubscribe link (RFC 8058): kinds of mail this address gets no more.
CREATE TABLE notification_address_opt_outs (
    email       text        NOT NULL,
    kind        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (email, kind)
);

-- A browser's push subscription (the Push API's PushSubscription): the push service URL and the keys RFC 8291
-- encrypts to. The endpoint is a capability URL: one row per endpoint, owned by the user who registered it last.
CREATE TABLE push_subscriptions (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint    text        NOT NULL UNIQUE,
    p256dh      text        NOT NULL,
    auth        text        NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- In-app notifications (the bell): unread first, newest first.
CREATE TABLE in_app_notifications (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text        NOT NULL,
    title       text        NOT NULL,
    body        text        NOT NULL,
    url         text        NULL,
    created_at  timestamptz NOT NULL,
    read_at     timestamptz NULL
);
CREATE INDEX in_app_notifications_list ON in_app_notifications (user_id, (read_at IS NULL) DESC, created_at DESC);
