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
-- hash chains the events (audit.c): the SHA-256 of the previous event's
-- hash and this row's content, so an edit made behind the application's
-- back (with the triggers dropped) breaks the chain at that row, and
-- `zizhi verify` names it. NULL only for rows not written by audit.c,
-- which verify reports as broken.
CREATE TABLE event (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	at		TEXT NOT NULL,
	day		TEXT NOT NULL,
	actor_id	INTEGER REFERENCES account(id),
	from_status	TEXT,
	to_status	TEXT NOT NULL,
	reason		TEXT NOT NULL DEFAULT '',
	hash		BLOB CHECK (hash IS NULL OR length(hash) = 32)
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

-- The case clock's inputs, kept beside the case for the work queues and
-- rebuilt by workflow.c from the events after every transition (never
-- counted up on their own): the submission day, the paused days of
-- finished pauses, the start of a pause still open, and the net days the
-- 3- and 6-month rules allow from that submission day (rules.c).
ALTER TABLE cases ADD COLUMN clock_start TEXT;
ALTER TABLE cases ADD COLUMN clock_paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN clock_paused_since TEXT;
ALTER TABLE cases ADD COLUMN clock_target_net INTEGER;
ALTER TABLE cases ADD COLUMN clock_limit_net INTEGER;
ALTER TABLE cases ADD COLUMN clock_stopped TEXT;	-- day a final status came
CREATE INDEX cases_lead ON cases(lead_id, status);

-- The lead's finding per review area, per round (受理审查).
CREATE TABLE finding (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	round_n		INTEGER NOT NULL,
	area		TEXT NOT NULL,		-- review.c area code
	verdict		TEXT NOT NULL CHECK (verdict IN ('ok', 'supplement',
	    'fail')),
	comment		TEXT NOT NULL DEFAULT '',
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL,
	UNIQUE (case_id, round_n, area)
);

-- Items of a supplement notice (一次性告知: all at once).
CREATE TABLE supplement_item (
	id		INTEGER PRIMARY KEY,
	notice_id	INTEGER NOT NULL REFERENCES notice(id),
	target		TEXT NOT NULL,		-- section id or material code
	what		TEXT NOT NULL
);

-- 委托协议: drafted by the lead with the fee, effective when accepted.
CREATE TABLE agreement (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL UNIQUE REFERENCES cases(id),
	treated_as	TEXT NOT NULL CHECK (treated_as IN ('initial',
	    'maintenance')),
	basis		TEXT NOT NULL,		-- why that fee, in words
	fee_audit	INTEGER NOT NULL CHECK (fee_audit >= 0),
	fee_annual	INTEGER NOT NULL CHECK (fee_annual >= 0),
	fee_total	INTEGER NOT NULL CHECK (fee_total = fee_audit + fee_annual),
	drafted_by	INTEGER NOT NULL REFERENCES account(id),
	sent_at		TEXT NOT NULL,
	accepted_by	INTEGER REFERENCES account(id),
	accepted_at	TEXT
);

-- Payments recorded by staff; one that does not match the fee is kept
-- and flagged, never accepted silently.
CREATE TABLE payment (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	amount		INTEGER NOT NULL CHECK (amount > 0),	-- fen
	paid_on		TEXT NOT NULL,
	reference	TEXT NOT NULL,
	mismatch	INTEGER NOT NULL DEFAULT 0 CHECK (mismatch IN (0, 1)),
	note		TEXT NOT NULL DEFAULT '',
	recorded_by	INTEGER NOT NULL REFERENCES account(id),
	recorded_at	TEXT NOT NULL
);
CREATE INDEX payment_case ON payment(case_id);

-- 评估: the audit plan, its team, the activity records, the conclusion.
CREATE TABLE audit_plan (
	case_id		INTEGER PRIMARY KEY REFERENCES cases(id),
	start_day	TEXT NOT NULL,
	end_day		TEXT NOT NULL,
	method		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);
CREATE TABLE team_member (
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	account_id	INTEGER NOT NULL REFERENCES account(id),
	PRIMARY KEY (case_id, account_id)
) WITHOUT ROWID;
CREATE TABLE assessment_record (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	kind		TEXT NOT NULL CHECK (kind IN ('document_review',
	    'interview', 'practical')),
	finding		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);
CREATE TABLE assessment_file (
	record_id	INTEGER NOT NULL REFERENCES assessment_record(id),
	filename	TEXT NOT NULL,
	mime		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	sha256		TEXT NOT NULL
);
CREATE TABLE audit_conclusion (
	case_id		INTEGER PRIMARY KEY REFERENCES cases(id),
	verdict		TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
	text		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);

-- 专家评审: panel members (never members of the case's team), each
-- declaring no conflict of interest before seeing the case.
CREATE TABLE panel_member (
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	account_id	INTEGER NOT NULL REFERENCES account(id),
	added_by	INTEGER NOT NULL REFERENCES account(id),
	declared_at	TEXT,			-- no conflict of interest
	PRIMARY KEY (case_id, account_id)
) WITHOUT ROWID;
CREATE TABLE expert_conclusion (
	case_id		INTEGER PRIMARY KEY REFERENCES cases(id),
	verdict		TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
	reasons		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);

-- 发证: batches approved by someone other than who made them.
CREATE TABLE cert_batch (
	id		INTEGER PRIMARY KEY,
	created_by	INTEGER NOT NULL REFERENCES account(id),
	created_at	TEXT NOT NULL,
	approved_by	INTEGER REFERENCES account(id),
	approved_at	TEXT,
	CHECK (approved_by IS NULL OR approved_by <> created_by)
);
CREATE TABLE batch_case (
	batch_id	INTEGER NOT NULL REFERENCES cert_batch(id),
	case_id		INTEGER NOT NULL UNIQUE REFERENCES cases(id),
	PRIMARY KEY (batch_id, case_id)
) WITHOUT ROWID;
CREATE TABLE certificate (
	id		INTEGER PRIMARY KEY,
	no		TEXT NOT NULL UNIQUE,
	case_id		INTEGER NOT NULL UNIQUE REFERENCES cases(id),
	org_id		INTEGER NOT NULL REFERENCES org(id),
	org_name	TEXT NOT NULL,		-- as certified
	uscc		TEXT NOT NULL,
	issued_on	TEXT NOT NULL,
	expires_on	TEXT NOT NULL,
	batch_id	INTEGER NOT NULL REFERENCES cert_batch(id)
);
CREATE INDEX certificate_org ON certificate(org_id);

-- 处置 (§6): warning, rectification by a deadline, suspension,
-- revocation; lifted_at ends a rectification or a suspension.
CREATE TABLE sanction (
	id		INTEGER PRIMARY KEY,
	certificate_id	INTEGER NOT NULL REFERENCES certificate(id),
	kind		TEXT NOT NULL CHECK (kind IN ('warning',
	    'rectification', 'suspension', 'revocation')),
	reason		TEXT NOT NULL,
	deadline	TEXT,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL,
	lifted_at	TEXT,
	lifted_by	INTEGER REFERENCES account(id)
);
CREATE INDEX sanction_cert ON sanction(certificate_id);

-- 申诉 (§7): against a review conclusion; handled by a supervisor who took
-- no part in the contested decision.
CREATE TABLE appeal (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	text		TEXT NOT NULL,
	filed_by	INTEGER NOT NULL REFERENCES account(id),
	filed_at	TEXT NOT NULL,
	handler_id	INTEGER REFERENCES account(id),
	conclusion	TEXT,
	upheld		INTEGER CHECK (upheld IN (0, 1)),
	concluded_at	TEXT
);
CREATE TABLE appeal_file (
	appeal_id	INTEGER NOT NULL REFERENCES appeal(id),
	filename	TEXT NOT NULL,
	mime		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	sha256		TEXT NOT NULL
);
-- 投诉: complaints against a certified organisation, and their handling.
CREATE TABLE complaint (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER REFERENCES org(id),
	org_name	TEXT NOT NULL,
	complainant	TEXT NOT NULL,
	text		TEXT NOT NULL,
	received_on	TEXT NOT NULL,
	recorded_by	INTEGER NOT NULL REFERENCES account(id),
	handling	TEXT,
	handled_by	INTEGER REFERENCES account(id),
	handled_at	TEXT
);

-- Archive disposal, allowed only from the retention date on.
CREATE TABLE disposal (
	case_id		INTEGER PRIMARY KEY REFERENCES cases(id),
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);

-- Failed logins, per account e-mail ("email:...") and per client
-- address ("addr:..."), shared by every worker process: count failures in
-- a 15-minute window from window_start; blocked_until (unix seconds)
-- refuses logins of that key until then (auth.c, throttle.c).
CREATE TABLE login_failure (
	key		TEXT PRIMARY KEY,
	count		INTEGER NOT NULL DEFAULT 0,
	window_start	INTEGER NOT NULL,	-- unix seconds
	blocked_until	INTEGER NOT NULL DEFAULT 0	-- unix seconds
) WITHOUT ROWID;

-- Password reset tokens sent by e-mail: 256 random bits of which only the
-- SHA-256 is kept; valid for 30 minutes from created, and once (used).
CREATE TABLE password_reset (
	token_hash	BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
	account_id	INTEGER NOT NULL REFERENCES account(id)
	    ON DELETE CASCADE,
	created		INTEGER NOT NULL,	-- unix seconds
	used		INTEGER			-- unix seconds, or NULL
) WITHOUT ROWID;
CREATE INDEX password_reset_account ON password_reset(account_id);

-- E-mail to send. A notice writes its messages here in the same
-- transaction; `zizhi sweep` delivers them (and writes the reminders).
-- A message is marked sent in the step that got the server's 250, so it
-- is not sent again; reminder_key makes each reminder once per trigger.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER REFERENCES cases(id),
	notice_id	INTEGER REFERENCES notice(id),
	to_addr		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	message_id	TEXT NOT NULL UNIQUE,
	created_at	TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'pending'
	    CHECK (state IN ('pending', 'sent', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt	INTEGER NOT NULL DEFAULT 0,	-- unix seconds
	last_error	TEXT,
	sent_at		TEXT,
	reminder_key	TEXT UNIQUE
);
CREATE INDEX outbox_pending ON outbox(state, next_attempt);

-- version 2
-- The facts of each case's status (status.c), kept on its row together
-- with the status by the workflow, for the work queues and the dashboard:
-- the stage (0 none, 1 受理, 2 立项, 3 评估, 4 发证), whether it is open
-- (submitted and not final) and the roles that act next (actor.h bits).
-- `zizhi init` brings them in line with the status table every time it
-- runs, so a change of that table reaches existing cases.
ALTER TABLE cases ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN is_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN acting INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_open ON cases(is_open, stage);

-- version 3

-- version 4

-- version 5

-- version 6

-- version 7

-- version 8

-- version 9

-- version 10
-- A 更正通知: a supplement notice that corrects and supersedes one sent
-- before (its items or their pairing were wrong). It is a notice of kind
-- 'supplement' like the one it corrects (the latest one is the request
-- in force); this table says which notice it supersedes. Notices stay
-- immutable; neither row is ever changed.
CREATE TABLE notice_supersedes (
	notice_id	INTEGER PRIMARY KEY REFERENCES notice(id),
	supersedes	INTEGER NOT NULL UNIQUE REFERENCES notice(id)
);
CREATE TRIGGER notice_supersedes_no_update BEFORE UPDATE ON notice_supersedes
BEGIN
	SELECT RAISE(ABORT, 'notices are immutable');
END;
CREATE TRIGGER notice_supersedes_no_delete BEFORE DELETE ON notice_supersedes
BEGIN
	SELECT RAISE(ABORT, 'notices are immutable');
END;
