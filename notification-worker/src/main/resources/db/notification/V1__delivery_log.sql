-- The notification worker's own schema ("notification", created by Flyway): its working state only. What users
-- see and set (preferences, subscriptions) belongs to the api-server (DECISIONS: who owns what).

-- Events this worker has handled (io.tribune.common.kafka.JdbcProcessedEvents): a redelivered event is skipped.
CREATE TABLE processed_events (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);

-- One row per notification (one mail to one recipient), keyed by its notification id: a second attempt to send
-- the same notification finds the row and does not send again. The rendered message is kept for retries.
CREATE TABLE deliveries (
    notification_id uuid        PRIMARY KEY,
    kind            text        NOT NULL,
    channel         text        NOT NULL DEFAULT 'email',
    recipient       text        NOT NULL,
    subject         text        NULL,
    -- The RFC 5322 message as rendered at the first attempt; retries send these exact bytes.
    message         bytea       NULL,
    -- pending: not sent yet (next_attempt_at says when); sending: an attempt is under way (a crash leaves it
    -- here, and the next attempt sends again: the documented duplicate window); sent; failed: permanent.
    status          text        NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text        NULL,
    source_event    uuid        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NULL,
    sent_at         timestamptz NULL
);
CREATE INDEX deliveries_recipient_idx ON deliveries (recipient, created_at);
CREATE INDEX deliveries_unfinished_idx ON deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');

-- What the worker knows of each meeting it mailed about: the latest schedule, invitees and iCalendar sequence,
-- cancelled and moved occurrences. Reminders are computed from it when they run, so a change always wins.
CREATE TABLE meetings (
    meeting_id text        PRIMARY KEY,
    sequence   integer     NOT NULL,
    plan       text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- db-scheduler 16.12's table (its DDL is not in the jar: from the project's postgresql_tables.sql).
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
