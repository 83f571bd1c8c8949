-- Outgoing mail is queued in the same transaction as what caused it, and sent by the
-- worker with retries: mail that cannot be sent yet waits, it is never lost.
CREATE TABLE mail_outbox (
    id          bigserial PRIMARY KEY,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    next_try_at timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text,
    sent_at     timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_try_at) WHERE sent_at IS NULL;

-- What the development SMTP sink received (the admin page lists it).
CREATE TABLE mail_received (
    id          bigserial PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    mail_from   text NOT NULL,
    rcpt_to     text[] NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL
);
