-- Town halls: the broadcast's state (one row per town hall once its host first starts it), and the audience's
-- questions with one vote per person. Participants are user ids or guest ids (the join token's subject).
CREATE TABLE broadcasts (
    meeting_id  text        PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    state       text        NOT NULL CHECK (state IN ('live', 'stopped')),
    started_at  timestamptz NOT NULL,
    started_by  text        NOT NULL,
    stopped_at  timestamptz NULL,
    stopped_by  text        NULL
);

CREATE TABLE questions (
    id          bigserial   PRIMARY KEY,
    meeting_id  text        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    author_id   text        NOT NULL,
    author_name text        NOT NULL,
    body        text        NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
    votes       integer     NOT NULL DEFAULT 0 CHECK (votes >= 0),
    answered_at timestamptz NULL,
    answered_by text        NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX questions_meeting_idx ON questions (meeting_id, id);
CREATE INDEX questions_author_idx ON questions (author_id);

-- One vote per person and question: the primary key is the rule.
CREATE TABLE question_votes (
    question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    voter_id    text   NOT NULL,
    PRIMARY KEY (question_id, voter_id)
);

CREATE INDEX question_votes_voter_idx ON question_votes (voter_id);
