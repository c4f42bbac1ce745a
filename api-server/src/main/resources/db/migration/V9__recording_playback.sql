-- Recording playback, sharing and retention (issue 8): whether the host shared a recording with the meeting's
-- participants, a meeting's own retention for its recordings, an index for the retention sweep, and one for the
-- admin audit-log filter by target.
ALTER TABLE recordings ADD COLUMN shared_with_participants boolean NOT NULL DEFAULT false;

-- Days a meeting's new recordings are kept (retention_until = start + this); 0: the deployment's default.
ALTER TABLE meetings ADD COLUMN recording_retention_days integer NOT NULL DEFAULT 0
    CHECK (recording_retention_days BETWEEN 0 AND 3650);

-- The retention sweep's candidates: past retention, not deleted, not under legal hold.
CREATE INDEX recordings_retention_idx ON recordings (retention_until)
    WHERE status <> 'deleted' AND NOT legal_hold;

-- "Who watched this recording": audit entries by target id alone, newest first.
CREATE INDEX audit_log_target_created_idx ON audit_log (target_id, created_at DESC, id DESC);
