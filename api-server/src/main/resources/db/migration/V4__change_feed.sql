-- Rows that api-server instances keep copies of in memory (meetings, accounts, sessions) announce every change at
-- commit on the channel tribune_changes, with the payload '<kind>:<id>', so that every instance drops its copy
-- (io.tribune.api.db.ChangeFeed). PostgreSQL folds identical payloads of one transaction into one notification.

CREATE FUNCTION tribune_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: the kind of cached thing; TG_ARGV[1]: the column that holds its id.
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('tribune_changes', TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('tribune_changes', TG_ARGV[0] || ':' || (to_jsonb(NEW) ->> TG_ARGV[1]));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER meetings_announce_change AFTER INSERT OR UPDATE OR DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION tribune_announce_change('meeting', 'id');
CREATE TRIGGER meeting_participants_announce_change AFTER INSERT OR UPDATE OR DELETE ON meeting_participants
    FOR EACH ROW EXECUTE FUNCTION tribune_announce_change('meeting', 'meeting_id');
CREATE TRIGGER meeting_occurrence_overrides_announce_change
    AFTER INSERT OR UPDATE OR DELETE ON meeting_occurrence_overrides
    FOR EACH ROW EXECUTE FUNCTION tribune_announce_change('meeting', 'meeting_id');
CREATE TRIGGER users_announce_change AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION tribune_announce_change('user', 'id');
CREATE TRIGGER sessions_announce_change AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION tribune_announce_change('session', 'id');
