-- Meeting chat: messages to everyone (recipient_id NULL) or to one participant. Participants are user ids or
-- guest ids (the join token's subject). client_id makes a resend after a reconnect a no-op.
CREATE TABLE chat_messages (
    id           bigserial   PRIMARY KEY,
    meeting_id   text        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    sender_id    text        NOT NULL,
    sender_name  text        NOT NULL,
    recipient_id text        NULL,
    client_id    text        NULL,
    body         text        NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at   timestamptz NOT NULL
);

CREATE UNIQUE INDEX chat_messages_client_key ON chat_messages (meeting_id, sender_id, client_id)
    WHERE client_id IS NOT NULL;
-- History since a message id, per meeting; the erasure of an account finds its messages by sender or recipient.
CREATE INDEX chat_messages_meeting_idx ON chat_messages (meeting_id, id);
CREATE INDEX chat_messages_sender_idx ON chat_messages (sender_id);
CREATE INDEX chat_messages_recipient_idx ON chat_messages (recipient_id) WHERE recipient_id IS NOT NULL;
