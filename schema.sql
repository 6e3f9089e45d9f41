-- zizhi database schema.
--
-- Each block below starts with a line "-- version N". `zizhi init` applies
-- the blocks a database lacks, in order, each in one transaction that also
-- sets PRAGMA user_version = N. Never edit a block that has shipped: add a
-- new one. Times are ISO-8601 UTC text; money is integer fen.

-- version 1
CREATE TABLE org (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	created_at	TEXT NOT NULL
	    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE account (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE
	    CHECK (length(email) BETWEEN 3 AND 254),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	role		TEXT NOT NULL CHECK (role IN ('applicant', 'lead',
	    'assessor', 'expert', 'cert_staff', 'supervisor', 'admin')),
	org_id		INTEGER REFERENCES org(id),
	password_hash	TEXT NOT NULL,
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at	TEXT NOT NULL
	    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	-- An applicant belongs to exactly one organisation; staff to none.
	CHECK ((role = 'applicant') = (org_id IS NOT NULL))
);
CREATE INDEX account_org ON account(org_id);

-- A login session. The cookie holds a random 256-bit token; only its
-- SHA-256 is stored, so a copy of the database cannot log anyone in.
CREATE TABLE session (
	token_hash	BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
	account_id	INTEGER NOT NULL REFERENCES account(id)
	    ON DELETE CASCADE,
	csrf		TEXT NOT NULL CHECK (length(csrf) = 43),
	created		INTEGER NOT NULL,	-- unix seconds
	seen		INTEGER NOT NULL	-- unix seconds, last request
) WITHOUT ROWID;
CREATE INDEX session_account ON session(account_id);
