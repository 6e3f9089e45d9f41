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

-- An application and the case it becomes. status is the status of the
-- latest event (written only together with that event, by workflow.c);
-- every clock is computed from the events, never stored.
CREATE TABLE cases (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	case_no		TEXT UNIQUE,		-- given at submission
	status		TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
	    'draft', 'submitted', 'intake_review', 'supplement_requested',
	    'accepted', 'rejected', 'agreement_sent', 'awaiting_payment',
	    'assessment_planning', 'assessing', 'expert_review', 'failed',
	    'certificate_pending', 'issued', 'withdrawn')),
	lead_id		INTEGER REFERENCES account(id),
	created_by	INTEGER NOT NULL REFERENCES account(id),
	created_at	TEXT NOT NULL
	    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	rounds		INTEGER NOT NULL DEFAULT 0	-- frozen submissions
);
CREATE INDEX cases_org ON cases(org_id);
CREATE INDEX cases_status ON cases(status);

-- The 申请书 as saved: one row per field, and per row of a repeating
-- group (row -1 outside groups), normalised by form_def.c's validators.
CREATE TABLE form_value (
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	field		TEXT NOT NULL,
	row		INTEGER NOT NULL CHECK (row >= -1),
	value		TEXT NOT NULL,
	PRIMARY KEY (case_id, field, row)
) WITHOUT ROWID;

-- Sections the applicant has saved at least once.
CREATE TABLE form_section (
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	section		TEXT NOT NULL,
	saved_at	TEXT NOT NULL,
	PRIMARY KEY (case_id, section)
) WITHOUT ROWID;

-- Uploaded materials. The bytes live in the file store under their
-- SHA-256; a replaced or removed file keeps its row and its bytes.
CREATE TABLE material (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	kind		TEXT NOT NULL,		-- form_def.c material code
	row		INTEGER NOT NULL DEFAULT -1,	-- its group row, or -1
	filename	TEXT NOT NULL,
	mime		TEXT NOT NULL,
	size		INTEGER NOT NULL CHECK (size > 0),
	sha256		TEXT NOT NULL CHECK (length(sha256) = 64),
	uploaded_by	INTEGER NOT NULL REFERENCES account(id),
	uploaded_at	TEXT NOT NULL,
	replaces	INTEGER REFERENCES material(id),
	state		TEXT NOT NULL DEFAULT 'current'
	    CHECK (state IN ('current', 'replaced', 'removed'))
);
CREATE INDEX material_case ON material(case_id, kind, row);

-- A frozen submission: round 1 is the first, each supplement adds one.
CREATE TABLE round (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	n		INTEGER NOT NULL CHECK (n >= 1),
	submitted_at	TEXT NOT NULL,
	submitted_by	INTEGER NOT NULL REFERENCES account(id),
	UNIQUE (case_id, n)
);
CREATE TABLE round_value (
	round_id	INTEGER NOT NULL REFERENCES round(id),
	field		TEXT NOT NULL,
	row		INTEGER NOT NULL,
	value		TEXT NOT NULL,
	PRIMARY KEY (round_id, field, row)
) WITHOUT ROWID;
CREATE TABLE round_file (
	round_id	INTEGER NOT NULL REFERENCES round(id),
	material_id	INTEGER NOT NULL REFERENCES material(id),
	PRIMARY KEY (round_id, material_id)
) WITHOUT ROWID;

-- Every status change, append-only: the database refuses UPDATE and
-- DELETE. day is the calendar date in Asia/Shanghai, which the clocks use.
CREATE TABLE event (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	at		TEXT NOT NULL,
	day		TEXT NOT NULL,
	actor_id	INTEGER REFERENCES account(id),
	from_status	TEXT,
	to_status	TEXT NOT NULL,
	reason		TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_case ON event(case_id, id);
CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;

-- Notices (告知): dated, numbered documents kept on the case; immutable.
CREATE TABLE notice (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	kind		TEXT NOT NULL CHECK (kind IN ('receipt', 'supplement',
	    'acceptance', 'refusal', 'agreement', 'payment', 'conclusion',
	    'issuance')),
	no		TEXT NOT NULL UNIQUE,
	at		TEXT NOT NULL,
	day		TEXT NOT NULL,
	title		TEXT NOT NULL,
	body		TEXT NOT NULL,		-- the text as sent, immutable
	due		TEXT,			-- a date the notice sets
	round_id	INTEGER REFERENCES round(id)
);
CREATE INDEX notice_case ON notice(case_id);
CREATE TRIGGER notice_no_update BEFORE UPDATE ON notice
BEGIN
	SELECT RAISE(ABORT, 'notices are immutable');
END;
CREATE TRIGGER notice_no_delete BEFORE DELETE ON notice
BEGIN
	SELECT RAISE(ABORT, 'notices are immutable');
END;
