-- Summaries shared by the host (issue 9): when on, the summary stored at the meeting's end is sent at once to the
-- participants who consented to a recording of it (as the recording's "send the summary" does), kind transcripts.
ALTER TABLE meetings ADD COLUMN share_summary boolean NOT NULL DEFAULT false;
