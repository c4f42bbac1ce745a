-- What the api-server told the worker about each address's preferences (notification.preferences_changed): the
-- kinds of mail it gets none of, and how many minutes before an occurrence its reminder goes out. No row: every
-- mail, the configured default lead time. The api-server owns the preferences; this is the worker's copy.
CREATE TABLE recipient_preferences (
    email                  text        PRIMARY KEY,   -- lower case
    user_id                text        NULL,
    email_opt_outs         text        NOT NULL,      -- comma-separated kinds: invitations, reminders, ...
    reminder_lead_minutes  integer     NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
