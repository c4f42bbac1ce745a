-- Transcribing a recording on demand (issue 9): where the recording's transcript stands. none: never asked for
-- (live captions may still have made one); transcribing: transcription.requested went out through the outbox and
-- transcription-worker has not answered; ready / failed: its transcript.ready / transcript.failed arrived.
ALTER TABLE recordings ADD COLUMN transcript_status text NOT NULL DEFAULT 'none'
    CHECK (transcript_status IN ('none', 'transcribing', 'ready', 'failed'));
ALTER TABLE recordings ADD COLUMN transcript_error text NULL;
ALTER TABLE recordings ADD COLUMN transcript_requested_by text NULL;
ALTER TABLE recordings ADD COLUMN transcript_requested_at timestamptz NULL;
