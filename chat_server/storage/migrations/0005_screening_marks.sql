-- How far each session's patient messages have been screened, in a table of its own.
-- It used to be a column of appointments, the row every message batch locks and
-- updates (last_seq): the screener's updates waited on the writer's and could deadlock
-- with them. Here the screener writes only its own rows.
-- Two marks: ruled_seq for the rules (microseconds a message, so they keep up with any
-- load and their alerts go out at once) and screened_seq for the whole screener with
-- its encoder (~10 ms a message), which may fall behind at peak.
CREATE TABLE screening_marks (
    appointment_id bigint PRIMARY KEY REFERENCES appointments (id),
    ruled_seq      integer NOT NULL DEFAULT 0,
    screened_seq   integer NOT NULL DEFAULT 0
);
INSERT INTO screening_marks (appointment_id, ruled_seq, screened_seq)
    SELECT id, screened_seq, screened_seq FROM appointments WHERE screened_seq > 0;
ALTER TABLE appointments DROP COLUMN screened_seq;
