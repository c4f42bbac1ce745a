-- The composed MP4 (issue 8): a completed recording with stored tracks is 'rendering' until its composed file,
-- poster and thumbnails are stored and recording.ready is acknowledged. A process that dies mid-render leaves the
-- row 'rendering' with a stale heartbeat; any instance claims it again and renders it from the stored tracks.

ALTER TABLE recordings DROP CONSTRAINT recordings_status_check;
ALTER TABLE recordings ADD CONSTRAINT recordings_status_check
    CHECK (status IN ('recording', 'stopped', 'rendering', 'ready', 'failed'));

-- Failed render attempts so far (bounded: then recording.ready goes out with the track files only).
ALTER TABLE recordings ADD COLUMN render_attempts integer NOT NULL DEFAULT 0;
-- Set by the instance rendering it, renewed while it renders; null or stale: free to claim.
ALTER TABLE recordings ADD COLUMN render_owner text;
ALTER TABLE recordings ADD COLUMN render_heartbeat timestamptz;

CREATE INDEX recordings_rendering ON recordings (status) WHERE status = 'rendering';

-- When the track's first frame arrived at the SFU (its arrival time, microseconds since the epoch): where the track
-- sits on the recording's timeline. Null for rows stored before this column existed (then placed at the start).
ALTER TABLE tracks ADD COLUMN media_start_us bigint;
