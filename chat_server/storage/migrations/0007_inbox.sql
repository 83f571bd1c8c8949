-- Messages between sessions: one thread per episode of care, between its patient and
-- its therapist (clinical/inbox.py holds the rules; the database holds what it can).
CREATE TABLE inbox_messages (
    id          bigserial PRIMARY KEY,
    episode_id  bigint NOT NULL REFERENCES episodes (id),
    sender_id   bigint NOT NULL REFERENCES users (id),
    sender_role text NOT NULL CHECK (sender_role IN ('patient', 'therapist')),
    client_id   text NOT NULL CHECK (client_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000 AND btrim(body, E' \t\r\n') <> ''),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- A resend with the same client id is the same message.
    UNIQUE (sender_id, client_id)
);
CREATE INDEX inbox_messages_thread ON inbox_messages (episode_id, id);

-- Only the episode's own patient or therapist writes, and only while the episode is open.
CREATE FUNCTION inbox_sender_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ep record;
BEGIN
    SELECT patient_id, therapist_id, closed_at INTO ep FROM episodes WHERE id = NEW.episode_id;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key reports it
    END IF;
    IF ep.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'episode % is closed', NEW.episode_id USING ERRCODE = 'check_violation';
    END IF;
    IF NOT ((NEW.sender_role = 'patient' AND NEW.sender_id = ep.patient_id)
            OR (NEW.sender_role = 'therapist' AND NEW.sender_id = ep.therapist_id)) THEN
        RAISE EXCEPTION 'user % is not the % of episode %', NEW.sender_id, NEW.sender_role, NEW.episode_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER inbox_messages_sender BEFORE INSERT ON inbox_messages
    FOR EACH ROW EXECUTE FUNCTION inbox_sender_check();
-- Kept as written, like transcripts.
CREATE TRIGGER inbox_messages_no_update BEFORE UPDATE OR DELETE ON inbox_messages
    FOR EACH ROW EXECUTE FUNCTION messages_immutable();

-- How far each party has read their thread.
CREATE TABLE inbox_reads (
    episode_id   bigint NOT NULL REFERENCES episodes (id),
    user_id      bigint NOT NULL REFERENCES users (id),
    last_read_id bigint NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (episode_id, user_id)
);

-- Patient messages waiting for the risk screener: a row is added in the transaction that
-- stores the message and marked once screened, so a restart of any process skips none
-- (ids are not committed in order, so a high-water mark could pass one by).
CREATE TABLE inbox_screening (
    message_id  bigint PRIMARY KEY REFERENCES inbox_messages (id),
    episode_id  bigint NOT NULL REFERENCES episodes (id),
    screened_at timestamptz
);
CREATE INDEX inbox_screening_pending ON inbox_screening (message_id) WHERE screened_at IS NULL;

-- An alert may point at a message between sessions instead of a session's (appointment, seq).
ALTER TABLE risk_alerts ADD COLUMN inbox_message_id bigint REFERENCES inbox_messages (id);
ALTER TABLE risk_alerts ADD CONSTRAINT risk_alerts_one_origin
    CHECK (inbox_message_id IS NULL OR (appointment_id IS NULL AND seq IS NULL));
-- One alert per message and category, however often it is screened (as for sessions).
CREATE UNIQUE INDEX risk_alerts_inbox_once ON risk_alerts (inbox_message_id, category)
    WHERE inbox_message_id IS NOT NULL;
