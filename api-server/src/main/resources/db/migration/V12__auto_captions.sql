-- Live captions (issue 9): the meeting setting that switches captions on when the host or a co-host opens the
-- meeting (the captions state itself lives in Redis, events' MediaTaps.captionsKey).
ALTER TABLE meetings ADD COLUMN auto_captions boolean NOT NULL DEFAULT false;
