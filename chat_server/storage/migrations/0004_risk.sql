-- Risk: the on-call rota, alerts with their frozen escalation plans, and case management.
CREATE TABLE rota_weeks (
    week_start  date PRIMARY KEY CHECK (extract(isodow FROM week_start) = 1),
    primary_id  bigint NOT NULL REFERENCES supervisors (user_id),
    backup_id   bigint NOT NULL REFERENCES supervisors (user_id),
    CHECK (primary_id <> backup_id)
);

CREATE TABLE rota_overrides (
    id            bigserial PRIMARY KEY,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    role          text NOT NULL CHECK (role IN ('primary', 'backup')),
    supervisor_id bigint NOT NULL REFERENCES supervisors (user_id),
    reason        text NOT NULL,
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX rota_overrides_span ON rota_overrides (starts_at, ends_at);

CREATE TABLE risk_alerts (
    id              bigserial PRIMARY KEY,
    patient_id      bigint NOT NULL REFERENCES patients (user_id),
    appointment_id  bigint REFERENCES appointments (id),
    seq             integer,
    source          text NOT NULL CHECK (source IN ('session', 'message', 'questionnaire', 'manual')),
    category        text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('urgent', 'high', 'moderate')),
    triggers        text[] NOT NULL DEFAULT '{}',
    excerpt         text NOT NULL DEFAULT '',
    raised_by       bigint REFERENCES users (id),
    route_kind      text NOT NULL,
    opened_at       timestamptz NOT NULL,
    deliver_at      timestamptz NOT NULL,
    plan            jsonb NOT NULL,
    notified_count  integer NOT NULL DEFAULT 0,
    next_wake_at    timestamptz,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    acknowledged_by bigint REFERENCES users (id),
    acknowledged_at timestamptz,
    resolved_by     bigint REFERENCES users (id),
    resolved_at     timestamptz,
    -- One alert per message and category, however often it is screened.
    UNIQUE (appointment_id, seq, category)
);
CREATE INDEX risk_alerts_wake ON risk_alerts (next_wake_at) WHERE status = 'open';
CREATE INDEX risk_alerts_patient ON risk_alerts (patient_id, opened_at);

-- The audit timeline of an alert: opened, notified, acknowledged, notes, resolved.
CREATE TABLE alert_events (
    id        bigserial PRIMARY KEY,
    alert_id  bigint NOT NULL REFERENCES risk_alerts (id),
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id  bigint REFERENCES users (id),
    action    text NOT NULL,
    target    text,
    note      text
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, id);

-- Each planned notification is sent once: (alert, index) is its idempotency key.
CREATE TABLE alert_notifications (
    alert_id  bigint NOT NULL REFERENCES risk_alerts (id),
    idx       integer NOT NULL,
    target    text NOT NULL,
    level     integer NOT NULL,
    due_at    timestamptz NOT NULL,
    sent_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, idx)
);

-- Patient messages are screened by the worker right after they are stored; this marks how far.
ALTER TABLE appointments ADD COLUMN screened_seq integer NOT NULL DEFAULT 0;
CREATE INDEX appointments_live ON appointments (id) WHERE status = 'live';
CREATE INDEX appointments_ended ON appointments (ended_at);

CREATE TABLE case_requests (
    id           bigserial PRIMARY KEY,
    episode_id   bigint NOT NULL REFERENCES episodes (id),
    kind         text NOT NULL CHECK (kind IN ('non_urgent_risk', 'suitability', 'step_up', 'step_down', 'discharge', 'referral')),
    details      text NOT NULL,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'assigned', 'closed')),
    opened_by    bigint NOT NULL REFERENCES users (id),
    opened_at    timestamptz NOT NULL DEFAULT now(),
    assignee_id  bigint REFERENCES users (id),
    assigned_at  timestamptz,
    outcome      text,
    closed_by    bigint REFERENCES users (id),
    closed_at    timestamptz,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL AND outcome IS NOT NULL))
);
CREATE INDEX case_requests_status ON case_requests (status, opened_at);
