-- The transactional outbox: rows written in the same transaction as the change they announce, published to
-- Kafka by OutboxRelay, marked sent only after the broker acknowledged them, deleted after the retention.
CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    topic           text        NOT NULL,
    event_key       text        NOT NULL,
    -- The exact bytes EventCodec produced: what goes to Kafka, unchanged.
    payload         bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text        NULL,
    -- Earliest time a failed row is tried again (backoff); NULL = at once.
    next_attempt_at timestamptz NULL
);

-- What the relay scans: unsent rows in id order. Small, because sent rows leave it.
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
-- What retention deletes.
CREATE INDEX outbox_sent_at_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Wake the relay at commit time. NOTIFY is transactional: nothing is sent for a rolled-back insert, and
-- identical notifications of one transaction are folded into one.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tribune_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify_after_insert
    AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent consumers: an event is handled by a consumer at most once; the handler inserts here in the same
-- transaction as its side effect and skips events already present.
CREATE TABLE processed_events (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
