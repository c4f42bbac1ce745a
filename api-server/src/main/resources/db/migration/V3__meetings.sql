-- Meetings, their invitees, per-occurrence changes of recurring series, personal rooms and calendar feeds.
-- Times are timestamptz (instants); each meeting keeps its IANA time zone, in which its recurrence is expanded.

CREATE TABLE meetings (
    -- Opaque id in links: 96 random bits, lower-case base32 (20 characters).
    id                    text        PRIMARY KEY CHECK (id ~ '^[a-z2-7]{20}$'),
    -- What people type: 11 digits, unique.
    numeric_id            bigint      NOT NULL UNIQUE CHECK (numeric_id BETWEEN 10000000000 AND 99999999999),
    kind                  text        NOT NULL CHECK (kind IN ('meeting', 'town_hall')),
    host_id               text        NOT NULL,
    title                 text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    -- The first occurrence (DTSTART/DTEND); NULL only for personal rooms, which have no schedule.
    start_time            timestamptz NULL,
    end_time              timestamptz NULL,
    time_zone             text        NOT NULL,
    -- RFC 5545 RRULE value, bounded by COUNT or UNTIL; NULL when the meeting does not repeat.
    recurrence            text        NULL,
    -- Earliest start and latest end of all occurrences (changed ones included): what window queries use.
    span_start            timestamptz NULL,
    span_end              timestamptz NULL,
    -- HMAC-SHA256(server key, meeting id, passcode) to check it; AES-256-GCM sealed copy for hosts to read.
    passcode_digest       bytea       NOT NULL,
    passcode_sealed       bytea       NOT NULL,
    lobby                 boolean     NOT NULL,
    join_before_host      boolean     NOT NULL,
    mute_on_entry         boolean     NOT NULL,
    recording_allowed     boolean     NOT NULL,
    transcription_allowed boolean     NOT NULL,
    max_participants      integer     NOT NULL CHECK (max_participants BETWEEN 1 AND 100000),
    allow_guests          boolean     NOT NULL,
    personal_room         boolean     NOT NULL DEFAULT false,
    -- iCalendar SEQUENCE: raised by every change, so calendar clients replace their copy.
    sequence              integer     NOT NULL DEFAULT 0,
    status                text        NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- Locked by a host: nobody else may join.
    locked                boolean     NOT NULL DEFAULT false,
    -- Locked after too many wrong passcodes: joins by passcode are refused until a host unlocks.
    guessing_locked       boolean     NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    cancelled_at          timestamptz NULL,
    CHECK (personal_room OR (start_time IS NOT NULL AND end_time > start_time
                             AND span_start <= start_time AND span_end >= end_time))
);

-- A host's meetings by time: conflict checks and "meetings I host".
CREATE INDEX meetings_host_span_idx ON meetings (host_id, span_end) WHERE status = 'scheduled';

-- Invitees, by account or by email address (people without an account), with their role in the meeting.
CREATE TABLE meeting_participants (
    meeting_id text        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- Order in which they were listed.
    position   integer     NOT NULL,
    user_id    text        NULL,
    email      text        NULL,
    role       text        NOT NULL CHECK (role IN ('co_host', 'panelist', 'participant', 'attendee')),
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (meeting_id, position),
    CHECK ((user_id IS NULL) <> (email IS NULL))
);

CREATE UNIQUE INDEX meeting_participants_user_uq ON meeting_participants (meeting_id, user_id)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX meeting_participants_email_uq ON meeting_participants (meeting_id, lower(email))
    WHERE email IS NOT NULL;
-- "Meetings I am invited to".
CREATE INDEX meeting_participants_user_idx ON meeting_participants (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX meeting_participants_email_idx ON meeting_participants (lower(email)) WHERE email IS NOT NULL;

-- One occurrence of a series changed or cancelled on its own (RECURRENCE-ID / EXDATE in iCalendar).
CREATE TABLE meeting_occurrence_overrides (
    meeting_id text        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- The start the recurrence rule gave the occurrence: its identity.
    occurrence timestamptz NOT NULL,
    cancelled  boolean     NOT NULL,
    -- NULL: the series' title.
    title      text        NULL CHECK (title IS NULL OR char_length(title) BETWEEN 1 AND 200),
    start_time timestamptz NULL,
    end_time   timestamptz NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (meeting_id, occurrence),
    CHECK (cancelled OR (start_time IS NOT NULL AND end_time > start_time))
);

-- Each user's permanent meeting room, made on first use.
CREATE TABLE personal_rooms (
    user_id    text        PRIMARY KEY,
    meeting_id text        NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);

-- Each user's secret calendar subscription URL. The token is found by its HMAC and kept sealed (AES-GCM) so the
-- owner can see the URL again; rotating replaces both.
CREATE TABLE calendar_feeds (
    user_id      text        PRIMARY KEY,
    token_digest bytea       NOT NULL UNIQUE,
    token_sealed bytea       NOT NULL,
    created_at   timestamptz NOT NULL
);
