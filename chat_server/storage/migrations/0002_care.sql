-- Episodes of care and appointments (live sessions run in appointments).
CREATE TABLE episodes (
    id          bigserial PRIMARY KEY,
    patient_id  bigint NOT NULL REFERENCES patients (user_id),
    therapist_id bigint NOT NULL REFERENCES therapists (user_id),
    status      text NOT NULL DEFAULT 'assessment'
                CHECK (status IN ('assessment', 'treatment', 'discharged', 'stepped_up', 'stepped_down', 'referred_on')),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    close_reason text,
    CHECK ((status IN ('assessment', 'treatment')) = (closed_at IS NULL))
);
CREATE INDEX episodes_patient ON episodes (patient_id);
CREATE INDEX episodes_therapist ON episodes (therapist_id) WHERE closed_at IS NULL;
-- One open episode per patient.
CREATE UNIQUE INDEX episodes_one_open ON episodes (patient_id) WHERE closed_at IS NULL;

CREATE TABLE appointments (
    id             bigserial PRIMARY KEY,
    episode_id     bigint NOT NULL REFERENCES episodes (id),
    therapist_id   bigint NOT NULL REFERENCES therapists (user_id),
    patient_id     bigint NOT NULL REFERENCES patients (user_id),
    kind           text NOT NULL CHECK (kind IN ('assessment', 'treatment')),
    booked_start   timestamptz NOT NULL,
    length_minutes integer NOT NULL,
    booked_end     timestamptz NOT NULL,
    status         text NOT NULL DEFAULT 'booked'
                   CHECK (status IN ('booked', 'live', 'completed', 'dna', 'cancelled', 'late_cancelled')),
    started_at     timestamptz,
    ended_at       timestamptz,
    cancelled_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seq       integer NOT NULL DEFAULT 0,
    CHECK ((kind = 'assessment' AND length_minutes = 60)
           OR (kind = 'treatment' AND length_minutes IN (60, 45, 30))),
    CHECK (booked_end = booked_start + length_minutes * interval '1 minute'),
    CHECK (status <> 'live' OR started_at IS NOT NULL),
    CHECK (status <> 'completed' OR (started_at IS NOT NULL AND ended_at IS NOT NULL)),
    -- A therapist is never booked twice at once, nor a patient.
    CONSTRAINT appointments_therapist_no_overlap EXCLUDE USING gist (
        int8range(therapist_id, therapist_id, '[]') WITH &&,
        tstzrange(booked_start, booked_end) WITH &&
    ) WHERE (status NOT IN ('cancelled', 'late_cancelled')),
    CONSTRAINT appointments_patient_no_overlap EXCLUDE USING gist (
        int8range(patient_id, patient_id, '[]') WITH &&,
        tstzrange(booked_start, booked_end) WITH &&
    ) WHERE (status NOT IN ('cancelled', 'late_cancelled'))
-- Room for heap-only updates: last_seq changes with every message batch, and a HOT update
-- touches none of the (gist) indexes.
) WITH (fillfactor = 50);
CREATE INDEX appointments_therapist_start ON appointments (therapist_id, booked_start);
CREATE INDEX appointments_patient_start ON appointments (patient_id, booked_start);
CREATE INDEX appointments_start ON appointments (booked_start);

-- The transcript: append-only, one sequence per appointment, client ids deduplicate resends.
CREATE TABLE messages (
    appointment_id bigint NOT NULL REFERENCES appointments (id),
    seq            integer NOT NULL CHECK (seq > 0),
    client_id      text NOT NULL,
    sender_id      bigint NOT NULL REFERENCES users (id),
    sender_role    text NOT NULL CHECK (sender_role IN ('patient', 'therapist')),
    body           text NOT NULL,
    corrects       integer,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (appointment_id, seq),
    UNIQUE (appointment_id, client_id),
    FOREIGN KEY (appointment_id, corrects) REFERENCES messages (appointment_id, seq),
    CHECK (corrects IS NULL OR corrects < seq)
);

CREATE FUNCTION messages_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'transcripts are immutable: add a correction instead';
END $$;
CREATE TRIGGER messages_no_update BEFORE UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_immutable();

-- Read receipts: the last seq each member has read.
CREATE TABLE room_reads (
    appointment_id bigint NOT NULL REFERENCES appointments (id),
    user_id        bigint NOT NULL REFERENCES users (id),
    last_read_seq  integer NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (appointment_id, user_id)
);

-- Time each participant spent in the room (billing and DNA use it).
CREATE TABLE room_presence (
    id             bigserial PRIMARY KEY,
    appointment_id bigint NOT NULL REFERENCES appointments (id),
    user_id        bigint NOT NULL REFERENCES users (id),
    role           text NOT NULL CHECK (role IN ('patient', 'therapist', 'observer')),
    joined_at      timestamptz NOT NULL DEFAULT now(),
    left_at        timestamptz
);
CREATE INDEX room_presence_appointment ON room_presence (appointment_id);

-- Lifecycle events of a session (started, ended, observer joined ...).
CREATE TABLE session_events (
    id             bigserial PRIMARY KEY,
    appointment_id bigint NOT NULL REFERENCES appointments (id),
    kind           text NOT NULL,
    actor_id       bigint REFERENCES users (id),
    at             timestamptz NOT NULL DEFAULT now(),
    detail         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX session_events_appointment ON session_events (appointment_id, at);

-- Append a batch of messages in one round trip (group commit).
-- Rows must come sorted by appointment so that counter locks are taken in one order.
-- status: 'ok', 'duplicate' (client id seen: the original seq is returned),
-- 'session_ended' / 'not_started' (room not live), 'unknown_message' (bad correction),
-- 'forbidden' (a correction of someone else's message).
CREATE FUNCTION append_messages(
    p_rooms bigint[], p_client_ids text[], p_senders bigint[], p_roles text[],
    p_bodies text[], p_corrects integer[]
) RETURNS TABLE (idx integer, status text, seq integer, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    cur_room bigint := NULL;
    cur_status text;
    cur_seq integer;
    existing record;
    now_ts timestamptz;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_rooms, 1), 0) LOOP
        IF cur_room IS DISTINCT FROM p_rooms[i] THEN
            IF cur_room IS NOT NULL AND cur_status = 'live' THEN
                UPDATE appointments SET last_seq = cur_seq WHERE id = cur_room;
            END IF;
            cur_room := p_rooms[i];
            SELECT a.status, a.last_seq INTO cur_status, cur_seq
                FROM appointments a WHERE a.id = cur_room FOR UPDATE;
        END IF;
        SELECT m.seq, m.created_at INTO existing
            FROM messages m WHERE m.appointment_id = cur_room AND m.client_id = p_client_ids[i];
        IF FOUND THEN
            idx := i; status := 'duplicate'; seq := existing.seq; created_at := existing.created_at;
        ELSIF cur_status IS NULL OR cur_status <> 'live' THEN
            idx := i; seq := NULL; created_at := NULL;
            status := CASE WHEN cur_status = 'booked' THEN 'not_started' ELSE 'session_ended' END;
        ELSIF p_corrects[i] IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM messages m WHERE m.appointment_id = cur_room AND m.seq = p_corrects[i]) THEN
            idx := i; status := 'unknown_message'; seq := NULL; created_at := NULL;
        ELSIF p_corrects[i] IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM messages m WHERE m.appointment_id = cur_room AND m.seq = p_corrects[i]
                AND m.sender_id = p_senders[i]) THEN
            idx := i; status := 'forbidden'; seq := NULL; created_at := NULL;
        ELSE
            cur_seq := cur_seq + 1;
            now_ts := clock_timestamp();
            INSERT INTO messages (appointment_id, seq, client_id, sender_id, sender_role, body, corrects, created_at)
                VALUES (cur_room, cur_seq, p_client_ids[i], p_senders[i], p_roles[i], p_bodies[i], p_corrects[i], now_ts);
            idx := i; status := 'ok'; seq := cur_seq; created_at := now_ts;
        END IF;
        RETURN NEXT;
    END LOOP;
    IF cur_room IS NOT NULL AND cur_status = 'live' THEN
        UPDATE appointments SET last_seq = cur_seq WHERE id = cur_room;
    END IF;
END $$;
