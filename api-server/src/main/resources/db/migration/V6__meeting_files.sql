-- Files shared in a meeting. The bytes live in object storage (S3 API) under object_key; a row is 'pending' from
-- the offer until its upload completes, and only 'ready' files are listed or downloaded.
CREATE TABLE meeting_files (
    id            text        PRIMARY KEY,
    meeting_id    text        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    uploader_id   text        NOT NULL,
    uploader_name text        NOT NULL,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    content_type  text        NOT NULL,
    size_bytes    bigint      NOT NULL CHECK (size_bytes > 0),
    sha256        text        NULL,
    object_key    text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('pending', 'ready')),
    created_at    timestamptz NOT NULL
);

CREATE INDEX meeting_files_meeting_idx ON meeting_files (meeting_id, created_at);
CREATE INDEX meeting_files_uploader_idx ON meeting_files (uploader_id);
