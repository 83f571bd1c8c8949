-- Accounts, roles and tokens.
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL,
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role          text NOT NULL CHECK (role IN ('patient', 'therapist', 'supervisor', 'admin')),
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Therapist-only facts: employment, validation period, caseload cap, where they work from.
CREATE TABLE therapists (
    user_id          bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    employment       text NOT NULL CHECK (employment IN ('self_employed', 'agency')),
    validation_state text NOT NULL CHECK (validation_state IN ('in_validation', 'validated', 'not_required')),
    caseload_cap     integer NOT NULL CHECK (caseload_cap BETWEEN 0 AND 200),
    work_country     text NOT NULL DEFAULT 'GB',
    pension_opt_out  boolean NOT NULL DEFAULT false,
    joined_on        date NOT NULL DEFAULT current_date,
    inactive_since   date,
    CHECK (validation_state <> 'in_validation' OR caseload_cap <= 10),
    CHECK (employment <> 'agency' OR validation_state = 'not_required')
);

CREATE TABLE patients (
    user_id       bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    date_of_birth date,
    gp_practice   text,
    notes         text
);

CREATE TABLE supervisors (
    user_id          bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    is_clinical_lead boolean NOT NULL DEFAULT false
);

-- Tokens are stored only as SHA-256 hashes; the secret is shown to the client once.
CREATE TABLE auth_tokens (
    token_hash  bytea PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    user_agent  text
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

-- Failed logins per e-mail address, for slowing down guessing.
CREATE TABLE login_failures (
    email          text PRIMARY KEY,
    failures       integer NOT NULL,
    last_failed_at timestamptz NOT NULL
);

-- Who read or changed what: every access to health data is written here.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     bigint REFERENCES users (id),
    action       text NOT NULL,
    subject_type text NOT NULL,
    subject_id   text NOT NULL,
    detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at);
