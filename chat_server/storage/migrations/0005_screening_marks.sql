-- How far each session's patient messages have been screened, in a table of its own.
-- It used to be a column of appointments, the row every message batch locks and
-- updates (last_seq): the screener's updates waited on the writer's and could deadlock
-- with them. Here the screener writes only its own rows.
CREATE TABLE screening_marks (
    appointment_id bigint PRIMARY KEY REFERENCES appointments (id),
    screened_seq   integer NOT NULL
);
INSERT INTO screening_marks (appointment_id, screened_seq)
    SELECT id, screened_seq FROM appointments WHERE screened_seq > 0;
ALTER TABLE appointments DROP COLUMN screened_seq;
