-- Recording (issue 8): the meeting setting that records from the start, the recordings catalogue the API serves
-- (fed by recording-archive's recording.ready / recording.failed events, deduplicated in V1's processed_events),
-- and each participant's acknowledgement that the meeting was recorded.
ALTER TABLE meetings ADD COLUMN auto_record boolean NOT NULL DEFAULT false;

CREATE TABLE recordings (
    id              text        PRIMARY KEY,
    -- No foreign key: a catalogue row (and the objects it names) outlives its meeting until retention or erasure.
    meeting_id      text        NOT NULL,
    -- The meeting's host when recording started: hosts list their meetings' recordings by it.
    host_id         text        NOT NULL,
    started_by      text        NOT NULL,
    started_at      timestamptz NOT NULL,
    stopped_by      text        NULL,
    stopped_at      timestamptz NULL,
    -- recording: the SFU taps the room; processing: stopped, the archive is writing files; ready / failed: the
    -- archive reported; deleted: removed from the catalogue, its objects are the archive's to delete.
    status          text        NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed', 'deleted')),
    duration_ms     bigint      NULL CHECK (duration_ms >= 0),
    size_bytes      bigint      NULL CHECK (size_bytes >= 0),
    sha256          text        NULL,
    -- The archive's stored objects: [{kind, track_id, object_key, content_type, size_bytes, sha256}].
    files           jsonb       NOT NULL DEFAULT '[]',
    failure_reason  text        NULL,
    retention_until timestamptz NOT NULL,
    legal_hold      boolean     NOT NULL DEFAULT false,
    deleted_by      text        NULL,
    deleted_at      timestamptz NULL,
    updated_at      timestamptz NOT NULL
);

-- At most one recording per meeting at a time: the rule that makes a second start a 409, on every instance.
CREATE UNIQUE INDEX recordings_one_active_idx ON recordings (meeting_id) WHERE status = 'recording';
CREATE INDEX recordings_meeting_idx ON recordings (meeting_id, started_at DESC);
CREATE INDEX recordings_host_idx ON recordings (host_id, started_at DESC);
CREATE INDEX recordings_started_idx ON recordings (started_at DESC);

-- Who was told that a recording was running, and when they acknowledged it (participants are user ids or
-- guest ids, the join token's subject). One row per person and recording: acknowledging again keeps the first.
CREATE TABLE recording_consents (
    recording_id    text        NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    participant_id  text        NOT NULL,
    user_id         text        NULL,
    guest           boolean     NOT NULL,
    display_name    text        NULL,
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (recording_id, participant_id)
);

