-- Recording playback, sharing and retention (issue 8): whether the host shared a recording with the meeting's
-- participants, an index for the retention sweep, and one for the admin audit-log filter by target.
ALTER TABLE recordings ADD COLUMN shared_with_participants boolean NOT NULL DEFAULT false;

-- The retention sweep's candidates: past retention, not deleted, not under legal hold.
CREATE INDEX recordings_retention_idx ON recordings (retention_until)
    WHERE status <> 'deleted' AND NOT legal_hold;

-- "Who watched this recording": audit entries by target id alone, newest first.
CREATE INDEX audit_log_target_created_idx ON audit_log (target_id, created_at DESC, id DESC);
