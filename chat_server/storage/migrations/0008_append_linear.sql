-- The set-based append of 0006, without joins between its own intermediate results.
-- 0006 joined its CTEs to each other (input to fresh, fresh to the inserted rows, input
-- to rooms). Hash and merge joins are off in that function (so that no plan ever scans
-- messages whole), which left nested loops over CTE scans: each of those joins cost the
-- square of the batch. A batch of 256 took PostgreSQL 36 ms of CPU where one of 64 took
-- 5.8 (0.139 against 0.090 ms a message): when the writer fell behind, its batches grew
-- and each message cost more, so a backlog fed itself (docs/performance.md, change 39).
-- Here every message is looked up once, by index, in one pass; its seq and time are
-- settled before the insert, so the answer needs no join to the inserted rows.
-- Verdicts are the same as 0006's, row for row (tests/chat_server/test_append.py).
CREATE OR REPLACE FUNCTION append_messages(
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
    WITH looked AS (
        -- One row a message: its room's state and, for a resend, the stored copy.
        SELECT u.i::integer AS i, u.room, u.client_id, u.sender, u.role, u.body,
               a.status AS room_status, a.last_seq, d.seq AS old_seq, d.created_at AS old_at,
               (a.status = 'live' AND d.seq IS NULL) AS is_new
        FROM unnest(p_rooms, p_client_ids, p_senders, p_roles, p_bodies)
                 WITH ORDINALITY AS u(room, client_id, sender, role, body, i)
        LEFT JOIN appointments a ON a.id = u.room
        LEFT JOIN messages d ON d.appointment_id = u.room AND d.client_id = u.client_id
    ), numbered AS (
        -- New messages take the room's next seqs in batch order; the time is read here,
        -- message by message, as the insert's default would.
        SELECT l.*,
               CASE WHEN l.is_new THEN l.last_seq
                    + count(*) FILTER (WHERE l.is_new) OVER (PARTITION BY l.room ORDER BY l.i) END
                   ::integer AS new_seq,
               CASE WHEN l.is_new THEN clock_timestamp() END AS new_at
        FROM looked l
    ), ins AS (
        INSERT INTO messages AS m (appointment_id, seq, client_id, sender_id, sender_role, body, created_at)
        SELECT n.room, n.new_seq, n.client_id, n.sender, n.role, n.body, n.new_at
        FROM numbered n WHERE n.is_new ORDER BY n.i
    ), upd AS (
        UPDATE appointments a SET last_seq = g.top
        FROM (SELECT n.room, max(n.new_seq) AS top FROM numbered n WHERE n.is_new GROUP BY n.room) AS g
        WHERE a.id = g.room
    )
    SELECT n.i,
        CASE WHEN n.old_seq IS NOT NULL THEN 'duplicate'
             WHEN n.is_new THEN 'ok'
             WHEN n.room_status = 'booked' THEN 'not_started'
             ELSE 'session_ended' END,
        coalesce(n.old_seq, n.new_seq),
        coalesce(n.old_at, n.new_at)
    FROM numbered n
    ORDER BY n.i;
END $$;
