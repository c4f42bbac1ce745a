-- recording-archive's working state, in its own schema. The api-server keeps the catalogue; this is only what the
-- archive needs to resume after a crash without storing a track twice or publishing a result twice.

-- One row per recording the archive has heard of (recording.started or .stopped).
CREATE TABLE recordings (
    recording_id  text PRIMARY KEY,
    meeting_id    text NOT NULL,
    started_at    timestamptz,
    -- The stop time recording.stopped carries: the completion grace counts from here, and the media partitions must
    -- have been read past it (or to their end) before the recording is completed.
    stopped_at    timestamptz,
    status        text NOT NULL DEFAULT 'recording'
                  CHECK (status IN ('recording', 'stopped', 'ready', 'failed')),
    reason        text,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX recordings_stopped ON recordings (status) WHERE status = 'stopped';

-- Per-track progress. 'open': being assembled (a restart re-reads its packets from Kafka and starts it again);
-- 'stored': the object is in the bucket; 'empty': no decodable frame arrived; 'failed': it could not be written.
CREATE TABLE tracks (
    recording_id      text NOT NULL,
    track_id          text NOT NULL,
    meeting_id        text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('audio', 'video')),
    codec             text NOT NULL,
    participant_id    text,
    display_name      text,
    source            text,
    status            text NOT NULL CHECK (status IN ('open', 'stored', 'empty', 'failed')),
    object_key        text,
    content_type      text,
    size_bytes        bigint,
    sha256            text,
    duration_ms       bigint,
    packets           bigint NOT NULL DEFAULT 0,
    packets_lost      bigint NOT NULL DEFAULT 0,
    packets_late      bigint NOT NULL DEFAULT 0,
    packets_duplicate bigint NOT NULL DEFAULT 0,
    frames_dropped    bigint NOT NULL DEFAULT 0,
    reason            text,
    opened_at         timestamptz NOT NULL DEFAULT now(),
    closed_at         timestamptz,
    PRIMARY KEY (recording_id, track_id)
);

-- Multipart uploads in progress: a row is written before the upload is created (upload_id is set once S3 gave
-- one) and deleted after completion or abort, so uploads a killed process left behind, even one killed between
-- creating the upload and recording its id, are aborted at the next start.
CREATE TABLE uploads (
    id            bigserial PRIMARY KEY,
    upload_id     text,
    bucket        text NOT NULL,
    object_key    text NOT NULL,
    recording_id  text NOT NULL,
    track_id      text NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now()
);
