-- Transcripts (issue 9): every final caption of transcription-worker (tribune.captions), one row per phrase, with
-- an English text-search vector for full-text search, and the extractive summary stored when the meeting ends.
CREATE TABLE transcript_segments (
    id             bigserial   PRIMARY KEY,
    -- Transcripts go with their meeting (erasing a meeting erases what was said in it).
    meeting_id     text        NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- The worker's phrase id, stable across a phrase's partials and its final: replays and duplicates upsert.
    -- Unique per meeting ("<trackId>-<n>", the track id 32 random bits: across all meetings they may repeat).
    phrase_id      text        NOT NULL CHECK (char_length(phrase_id) BETWEEN 1 AND 200),
    participant_id text        NULL,
    speaker_name   text        NULL,
    track_id       text        NULL,
    text           text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 10000),
    -- Wall-clock span of the phrase (the SFU's arrival clock), what recordings are aligned by.
    start_at       timestamptz NOT NULL,
    end_at         timestamptz NOT NULL CHECK (end_at >= start_at),
    search         tsvector    GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    received_at    timestamptz NOT NULL
);

CREATE UNIQUE INDEX transcript_segments_phrase_idx ON transcript_segments (meeting_id, phrase_id);
CREATE INDEX transcript_segments_meeting_idx ON transcript_segments (meeting_id, start_at, id);
CREATE INDEX transcript_segments_search_idx ON transcript_segments USING gin (search);

-- A meeting's extractive summary ({key_points, action_items, decisions}), computed from its segments when the
-- meeting ends; recomputed when it ends again (personal rooms end many times).
CREATE TABLE transcript_summaries (
    meeting_id  text        PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    summary     jsonb       NOT NULL,
    segments    integer     NOT NULL CHECK (segments >= 0),
    created_at  timestamptz NOT NULL
);
