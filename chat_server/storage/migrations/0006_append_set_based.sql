-- Append a batch in a few set-based statements instead of five statements a message.
-- The loop of 0002 stays, renamed, for the batches the set-based path does not take:
-- a correction (it may point at a message earlier in the same batch) or one client id
-- twice in a batch (the second copy must get the first copy's seq). Everything else —
-- a live session's plain messages, retries of stored ones, messages to a session that
-- has not started or has ended — goes through one lock statement and one data statement.
-- Results are the same as the loop's, row for row; tests/chat_server/test_append.py
-- checks both paths.
ALTER FUNCTION append_messages(bigint[], text[], bigint[], text[], text[], integer[])
    RENAME TO append_messages_each;

CREATE FUNCTION append_messages(
    p_rooms bigint[], p_client_ids text[], p_senders bigint[], p_roles text[],
    p_bodies text[], p_corrects integer[]
) RETURNS TABLE (idx integer, status text, seq integer, created_at timestamptz)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
#variable_conflict use_column
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(p_corrects) AS c(v) WHERE c.v IS NOT NULL)
       OR (SELECT count(DISTINCT (u.r, u.c)) FROM unnest(p_rooms, p_client_ids) AS u(r, c))
          <> coalesce(cardinality(p_rooms), 0) THEN
        RETURN QUERY SELECT * FROM append_messages_each(
            p_rooms, p_client_ids, p_senders, p_roles, p_bodies, p_corrects);
        RETURN;
    END IF;
    -- The counter locks, in id order as every writer takes them. The next statement
    -- gets a snapshot taken after this one has them, so it sees every committed message
    -- of these rooms and no one else can add one until this transaction ends.
    PERFORM 1 FROM appointments a WHERE a.id = ANY (p_rooms) ORDER BY a.id FOR UPDATE;
    RETURN QUERY
    WITH input AS (
        SELECT u.room, u.client_id, u.sender, u.role, u.body, u.i::integer AS i
        FROM unnest(p_rooms, p_client_ids, p_senders, p_roles, p_bodies)
            WITH ORDINALITY AS u(room, client_id, sender, role, body, i)
    ), rooms AS (
        SELECT a.id, a.status, a.last_seq FROM appointments a WHERE a.id = ANY (p_rooms)
    ), dup AS (
        SELECT n.i, m.seq AS old_seq, m.created_at AS old_at
        FROM input n JOIN messages m ON m.appointment_id = n.room AND m.client_id = n.client_id
    ), fresh AS (
        SELECT n.*, a.last_seq + row_number() OVER (PARTITION BY n.room ORDER BY n.i) AS new_seq
        FROM input n JOIN rooms a ON a.id = n.room
        WHERE a.status = 'live' AND NOT EXISTS (SELECT 1 FROM dup d WHERE d.i = n.i)
    ), ins AS (
        INSERT INTO messages AS m (appointment_id, seq, client_id, sender_id, sender_role, body, created_at)
        SELECT f.room, f.new_seq, f.client_id, f.sender, f.role, f.body, clock_timestamp()
        FROM fresh f ORDER BY f.i
        RETURNING m.appointment_id AS room, m.seq AS new_seq, m.created_at AS new_at
    ), upd AS (
        UPDATE appointments a SET last_seq = g.top
        FROM (SELECT f.room, max(f.new_seq) AS top FROM fresh f GROUP BY f.room) AS g
        WHERE a.id = g.room AND a.id = ANY (p_rooms)
    )
    SELECT n.i,
        CASE WHEN d.i IS NOT NULL THEN 'duplicate'
             WHEN s.new_seq IS NOT NULL THEN 'ok'
             WHEN a.status = 'booked' THEN 'not_started'
             ELSE 'session_ended' END,
        coalesce(d.old_seq, s.new_seq::integer),
        coalesce(d.old_at, s.new_at)
    FROM input n
    LEFT JOIN dup d ON d.i = n.i
    LEFT JOIN fresh f ON f.i = n.i
    LEFT JOIN ins s ON s.room = f.room AND s.new_seq = f.new_seq
    LEFT JOIN rooms a ON a.id = n.room
    ORDER BY n.i;
END $$;
