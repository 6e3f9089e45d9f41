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
-- 立项 payments as a ledger (docs/rules.md, "缴费台账"). The payment table
-- keeps every entry: a payment received (kind 'payment', with the line it
-- pays when the payer said so: 审核费 'audit', 年金 'annual', or '' for
-- the fee as a whole), a reversal of an earlier entry ('reversal',
-- naming it in reverses) or a refund paid back ('refund'). An entry is
-- never edited or deleted: a mistake is reversed by a counter-entry with
-- its reason (in note). A reversal or refund takes effect only when a
-- second certificate officer, not the one who recorded it, confirms it
-- (payment_decision). The invoice (发票) number issued for a payment is
-- its own record, added later without touching the entry. The column
-- mismatch of version 1 is no longer written (always 0 for new entries):
-- the sum of the effective entries against the fee says everything.
ALTER TABLE payment ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment'
    CHECK (kind IN ('payment', 'reversal', 'refund'));
ALTER TABLE payment ADD COLUMN line TEXT NOT NULL DEFAULT ''
    CHECK (line IN ('', 'audit', 'annual'));
ALTER TABLE payment ADD COLUMN payer TEXT NOT NULL DEFAULT '';
ALTER TABLE payment ADD COLUMN reverses INTEGER REFERENCES payment(id);
CREATE TRIGGER payment_shape BEFORE INSERT ON payment
WHEN (NEW.kind = 'reversal') <> (NEW.reverses IS NOT NULL)
BEGIN
	SELECT RAISE(ABORT, 'a reversal, and only a reversal, names the entry it reverses');
END;
CREATE TRIGGER payment_no_update BEFORE UPDATE ON payment
BEGIN
	SELECT RAISE(ABORT, 'ledger entries are never edited: record a counter-entry');
END;
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN
	SELECT RAISE(ABORT, 'ledger entries are never deleted: record a counter-entry');
END;

-- The second officer's decision on a reversal or a refund.
CREATE TABLE payment_decision (
	entry_id	INTEGER PRIMARY KEY REFERENCES payment(id),
	verdict		TEXT NOT NULL CHECK (verdict IN ('confirmed', 'declined')),
	note		TEXT NOT NULL DEFAULT '',
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);
CREATE TRIGGER payment_decision_second BEFORE INSERT ON payment_decision
WHEN NEW.by_id = (SELECT recorded_by FROM payment WHERE id = NEW.entry_id)
    OR (SELECT kind FROM payment WHERE id = NEW.entry_id) = 'payment'
BEGIN
	SELECT RAISE(ABORT, 'a reversal or refund is decided by a second officer');
END;
CREATE TRIGGER payment_decision_no_update BEFORE UPDATE ON payment_decision
BEGIN
	SELECT RAISE(ABORT, 'decisions are final');
END;
CREATE TRIGGER payment_decision_no_delete BEFORE DELETE ON payment_decision
BEGIN
	SELECT RAISE(ABORT, 'decisions are final');
END;

-- The invoice issued for a payment.
CREATE TABLE payment_invoice (
	entry_id	INTEGER PRIMARY KEY REFERENCES payment(id),
	invoice_no	TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);
CREATE TRIGGER payment_invoice_no_update BEFORE UPDATE ON payment_invoice
BEGIN
	SELECT RAISE(ABORT, 'invoice records are never edited');
END;
CREATE TRIGGER payment_invoice_no_delete BEFORE DELETE ON payment_invoice
BEGIN
	SELECT RAISE(ABORT, 'invoice records are never deleted');
END;

-- The ledger as everything reads it: each entry with its decision and
-- invoice, whether it is in effect (a payment always; a reversal or
-- refund once confirmed) and what it does to the sum paid (signed, fen:
-- a payment adds, a refund takes away, a reversal undoes its entry).
CREATE VIEW ledger AS
SELECT p.id, p.case_id, p.kind, p.line, p.amount, p.paid_on, p.payer,
    p.reference, p.note, p.reverses, p.recorded_by, p.recorded_at,
    d.verdict, d.by_id AS decided_by, d.at AS decided_at,
    d.note AS decision_note, i.invoice_no, i.by_id AS invoice_by,
    i.at AS invoice_at,
    CASE WHEN p.kind = 'payment' OR d.verdict = 'confirmed' THEN 1
        ELSE 0 END AS effective,
    CASE p.kind WHEN 'payment' THEN p.amount WHEN 'refund' THEN -p.amount
        ELSE CASE r.kind WHEN 'refund' THEN p.amount ELSE -p.amount END
        END AS signed
FROM payment p
LEFT JOIN payment_decision d ON d.entry_id = p.id
LEFT JOIN payment_invoice i ON i.entry_id = p.id
LEFT JOIN payment r ON r.id = p.reverses;

-- The payee the agreement names (收款单位, 开户银行, 账号, 付款说明),
-- copied from the configuration when it is sent; NULL for an agreement
-- sent before this version (the configuration is shown for it).
ALTER TABLE agreement ADD COLUMN payee_name TEXT;
ALTER TABLE agreement ADD COLUMN payee_bank TEXT;
ALTER TABLE agreement ADD COLUMN payee_account TEXT;
ALTER TABLE agreement ADD COLUMN payee_note TEXT;

-- 送达: when a notice reached the organisation, the first of: its mail
-- server accepted the e-mail (via 'smtp', the outbox message), or someone
-- of the organisation opened it in the portal ('portal', the account).
-- A deadline that runs from receipt (the supplement's month) starts on
-- that day and is stored here as due. Notices made before this version
-- count as served the day they were made ('before'), with the due date
-- they set then. Append-only, like the notices.
CREATE TABLE notice_service (
	notice_id	INTEGER PRIMARY KEY REFERENCES notice(id),
	at		TEXT NOT NULL,
	day		TEXT NOT NULL,
	via		TEXT NOT NULL CHECK (via IN ('smtp', 'portal', 'before')),
	outbox_id	INTEGER REFERENCES outbox(id),
	account_id	INTEGER REFERENCES account(id),
	due		TEXT
);
CREATE TRIGGER notice_service_no_update BEFORE UPDATE ON notice_service
BEGIN
	SELECT RAISE(ABORT, 'service records are append-only');
END;
CREATE TRIGGER notice_service_no_delete BEFORE DELETE ON notice_service
BEGIN
	SELECT RAISE(ABORT, 'service records are append-only');
END;
INSERT INTO notice_service(notice_id, at, day, via, due)
    SELECT id, at, day, 'before', due FROM notice;
CREATE INDEX outbox_case ON outbox(case_id, state);

-- version 4
-- Certificates issued before the system (`zizhi import certificates`),
-- their link to an organisation, and maintenance that continues a
-- certificate (domain.md, docs/certificates.md).
--
-- certificate gets: case_id, org_id and batch_id nullable (an imported
-- certificate has no case or batch here, and no organisation until a
-- certificate officer links it: linked_by, linked_at); imported_status,
-- the status the import file gave (NULL for one issued here, which has a
-- case and a batch); superseded_by, the certificate that continued it
-- (已换发), set when a maintenance case's certificate is issued.
-- sanction.by_id becomes nullable: the suspension or revocation an import
-- file recorded has no account behind it.
--
-- SQLite cannot drop NOT NULL, so both tables are rebuilt (create, copy,
-- drop, rename, indexes), every column and row kept. The rebuild runs
-- with foreign keys on, inside the migration's transaction: sanction,
-- the only table referring to certificate, is set aside first, so no
-- drop leaves a reference dangling.
CREATE TABLE sanction_copy AS SELECT * FROM sanction;
DROP TABLE sanction;

CREATE TABLE certificate_new (
	id		INTEGER PRIMARY KEY,
	no		TEXT NOT NULL UNIQUE,
	case_id		INTEGER UNIQUE REFERENCES cases(id),	-- NULL: imported
	org_id		INTEGER REFERENCES org(id),	-- NULL: imported, not linked
	org_name	TEXT NOT NULL,		-- as certified
	uscc		TEXT NOT NULL,
	issued_on	TEXT NOT NULL,
	expires_on	TEXT NOT NULL,
	batch_id	INTEGER REFERENCES cert_batch(id),	-- NULL: imported
	imported_status	TEXT CHECK (imported_status IN ('valid', 'suspended',
	    'cancelled', 'expired')),
	imported_at	TEXT,
	linked_by	INTEGER REFERENCES account(id),
	linked_at	TEXT,
	superseded_by	INTEGER REFERENCES certificate(id),
	superseded_at	TEXT,
	-- Issued here: a case, a batch and its holder; imported: none of
	-- them but what the file said.
	CHECK ((case_id IS NULL) = (imported_status IS NOT NULL)),
	CHECK ((case_id IS NULL) = (batch_id IS NULL)),
	CHECK ((case_id IS NULL) = (imported_at IS NOT NULL)),
	CHECK (case_id IS NULL OR org_id IS NOT NULL),
	CHECK ((linked_by IS NULL) = (linked_at IS NULL)),
	CHECK (linked_by IS NULL OR org_id IS NOT NULL),
	CHECK ((superseded_by IS NULL) = (superseded_at IS NULL))
);
INSERT INTO certificate_new(id, no, case_id, org_id, org_name, uscc,
    issued_on, expires_on, batch_id)
    SELECT id, no, case_id, org_id, org_name, uscc, issued_on, expires_on,
    batch_id FROM certificate;
DROP TABLE certificate;
ALTER TABLE certificate_new RENAME TO certificate;
CREATE INDEX certificate_org ON certificate(org_id);
CREATE INDEX certificate_uscc ON certificate(uscc);

CREATE TABLE sanction (
	id		INTEGER PRIMARY KEY,
	certificate_id	INTEGER NOT NULL REFERENCES certificate(id),
	kind		TEXT NOT NULL CHECK (kind IN ('warning',
	    'rectification', 'suspension', 'revocation')),
	reason		TEXT NOT NULL,
	deadline	TEXT,
	by_id		INTEGER REFERENCES account(id),	-- NULL: the import
	at		TEXT NOT NULL,
	lifted_at	TEXT,
	lifted_by	INTEGER REFERENCES account(id)
);
INSERT INTO sanction(id, certificate_id, kind, reason, deadline, by_id, at,
    lifted_at, lifted_by)
    SELECT id, certificate_id, kind, reason, deadline, by_id, at, lifted_at,
    lifted_by FROM sanction_copy;
DROP TABLE sanction_copy;
CREATE INDEX sanction_cert ON sanction(certificate_id);

-- The certificate a maintenance application continues, written at each
-- submission from the register (never from anything typed): filed_on is
-- the first submission day, maint_class the rules' class of that day
-- against the certificate's expiry ('on_time', 'late', 'initial'). While
-- an on-time case is open the certificate stays valid past its expiry;
-- the certificate the case gets supersedes it.
CREATE TABLE cert_maintenance (
	case_id		INTEGER PRIMARY KEY REFERENCES cases(id),
	certificate_id	INTEGER NOT NULL REFERENCES certificate(id),
	filed_on	TEXT NOT NULL,
	maint_class	TEXT NOT NULL CHECK (maint_class IN ('on_time', 'late',
	    'initial'))
);
CREATE INDEX cert_maintenance_cert ON cert_maintenance(certificate_id);

-- The 申请书 carrying a credit code, for the certificate officer who
-- links an imported certificate to the organisation that holds it.
CREATE INDEX round_value_uscc ON round_value(value)
    WHERE field = 'uscc' AND row = -1;
CREATE INDEX form_value_uscc ON form_value(value)
    WHERE field = 'uscc' AND row = -1;

-- version 5
-- 受理 as the guide runs it (§3.1, §4, §5.2): the centre's intake
-- options, §3.1 (5)'s supplementary requirements and the lead's record
-- of each per case, the lead's override of a failed 基本资格 check, and
-- the receipt of the paper original (the sealed, bound 申请书 and its CD).

-- The centre's intake options, one row per key (absent: the default).
-- paper: 'required' (受理 waits for the paper original) or 'scan' (the
-- sealed scan uploaded with the round is enough). Set with `zizhi intake`.
CREATE TABLE intake_option (
	key		TEXT PRIMARY KEY CHECK (key IN ('paper')),
	value		TEXT NOT NULL,
	changed_at	TEXT NOT NULL,
	CHECK (key <> 'paper' OR value IN ('required', 'scan'))
) WITHOUT ROWID;

-- §3.1 (5) 达到其他补充要求: the centre's list; a retired requirement is
-- kept (cases recorded against it keep their record) but no longer asked.
CREATE TABLE requirement (
	id		INTEGER PRIMARY KEY,
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	hint		TEXT NOT NULL DEFAULT '',	-- the evidence to look for
	added_at	TEXT NOT NULL,
	retired_at	TEXT
);

-- The lead's finding on a requirement for a case, with its evidence.
CREATE TABLE requirement_check (
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	requirement_id	INTEGER NOT NULL REFERENCES requirement(id),
	met		INTEGER NOT NULL CHECK (met IN (0, 1)),
	evidence	TEXT NOT NULL CHECK (length(evidence) >= 1),
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL,
	PRIMARY KEY (case_id, requirement_id)
) WITHOUT ROWID;

-- 受理 although a 基本资格 check failed: what failed, and the lead's
-- reason. Written with the acceptance event, never changed.
CREATE TABLE basic_override (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	round_n		INTEGER NOT NULL,
	failed		TEXT NOT NULL,
	reason		TEXT NOT NULL CHECK (length(reason) >= 1),
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);
CREATE INDEX basic_override_case ON basic_override(case_id);
CREATE TRIGGER basic_override_no_update BEFORE UPDATE ON basic_override
BEGIN
	SELECT RAISE(ABORT, 'overrides are kept as written');
END;
CREATE TRIGGER basic_override_no_delete BEFORE DELETE ON basic_override
BEGIN
	SELECT RAISE(ABORT, 'overrides are kept as written');
END;

-- The paper original of a round as the centre received it: the courier
-- and waybill, the day it arrived, who checked it against the electronic
-- round, whether the sealed, bound 申请书 and the CD were in it and
-- whether they match the round. Appended, never changed: a second
-- parcel is a second row.
CREATE TABLE paper_receipt (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	round_n		INTEGER NOT NULL,
	courier		TEXT NOT NULL,
	waybill		TEXT NOT NULL,
	received_on	TEXT NOT NULL,		-- YYYY-MM-DD
	checked_by	TEXT NOT NULL,
	paper		INTEGER NOT NULL CHECK (paper IN (0, 1)),
	cd		INTEGER NOT NULL CHECK (cd IN (0, 1)),
	matches		INTEGER NOT NULL CHECK (matches IN (0, 1)),
	notes		TEXT NOT NULL DEFAULT '',
	recorded_by	INTEGER NOT NULL REFERENCES account(id),
	recorded_at	TEXT NOT NULL
);
CREATE INDEX paper_receipt_case ON paper_receipt(case_id, round_n);
CREATE TRIGGER paper_receipt_no_update BEFORE UPDATE ON paper_receipt
BEGIN
	SELECT RAISE(ABORT, 'receipts are kept as written');
END;

-- version 6
-- The stages as the guide runs them (issue 16, items 6 to 11).
--
-- New notice kinds and a fourth way of assessing widen two CHECK lists.
-- SQLite cannot alter a CHECK, and rebuilding a table would drop the
-- columns other versions add to it; widening a list invalidates no row,
-- so the block edits the table's SQL text in place, SQLite's documented
-- procedure for such changes ("ALTER TABLE", section 7): store_migrate
-- runs blocks with the defensive flag off, checks the database before
-- committing, and the CREATE statements below bump the schema cookie so
-- other connections reload it. Each edit adds at the front of the list,
-- so it works whatever another version appended; the check table
-- refuses the block if an edit found nothing to change.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''receipt'', ',
    'kind IN (''receipt'', ''plan'', ''documents'', ''sanction'', '
    || '''lifting'', ''appeal'', ')
    WHERE type = 'table' AND name = 'notice';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''document_review'',',
    'kind IN (''other'', ''document_review'',')
    WHERE type = 'table' AND name = 'assessment_record';
PRAGMA writable_schema = RESET;
CREATE TEMP TABLE migrate_check (what TEXT, ok INTEGER NOT NULL CHECK (ok));
INSERT INTO migrate_check SELECT name, instr(sql, '''appeal''') > 0
    FROM sqlite_schema WHERE type = 'table' AND name = 'notice';
INSERT INTO migrate_check SELECT name, instr(sql, '''other''') > 0
    FROM sqlite_schema WHERE type = 'table' AND name = 'assessment_record';
DROP TABLE migrate_check;

-- 评估 (§5.4): an activity record names the method the team used when it
-- is none of the guide's three (kind 'other'), and the review area it
-- concerns (review.c's codes, e.g. 'quality' for 质量管理), if any.
ALTER TABLE assessment_record ADD COLUMN method TEXT;
ALTER TABLE assessment_record ADD COLUMN area TEXT;

-- 补充资料: the team asks the applicant for documents during 评估. While
-- a request is open (closed_at NULL) the case clock is paused (§9.3:
-- supplementing time does not count), from opened_day to closed_day;
-- one open request per case. A request is closed once, by the
-- applicant's answer or by the team, and its days never change.
CREATE TABLE doc_request (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	due		TEXT NOT NULL,		-- YYYY-MM-DD
	note		TEXT NOT NULL DEFAULT '',
	by_id		INTEGER NOT NULL REFERENCES account(id),
	opened_at	TEXT NOT NULL,
	opened_day	TEXT NOT NULL,		-- Asia/Shanghai
	notice_id	INTEGER REFERENCES notice(id),
	closed_at	TEXT,
	closed_day	TEXT,
	closed_by	INTEGER REFERENCES account(id),
	closing		TEXT CHECK (closing IN ('answered', 'cancelled')),
	answer		TEXT NOT NULL DEFAULT '',	-- the applicant's words
	reason		TEXT NOT NULL DEFAULT '',	-- why the team closed it
	CHECK ((closed_at IS NULL) = (closing IS NULL) AND
	    (closed_at IS NULL) = (closed_day IS NULL))
);
CREATE INDEX doc_request_case ON doc_request(case_id, id);
CREATE UNIQUE INDEX doc_request_open ON doc_request(case_id)
    WHERE closed_at IS NULL;
CREATE TRIGGER doc_request_fixed BEFORE UPDATE ON doc_request
WHEN OLD.closed_at IS NOT NULL OR NEW.case_id IS NOT OLD.case_id OR
    NEW.opened_day IS NOT OLD.opened_day OR NEW.due IS NOT OLD.due
BEGIN
	SELECT RAISE(ABORT, 'a document request is closed once');
END;
CREATE TRIGGER doc_request_no_delete BEFORE DELETE ON doc_request
BEGIN
	SELECT RAISE(ABORT, 'document requests are kept');
END;
CREATE TABLE doc_request_item (
	id		INTEGER PRIMARY KEY,
	request_id	INTEGER NOT NULL REFERENCES doc_request(id),
	what		TEXT NOT NULL
);
CREATE INDEX doc_request_item_req ON doc_request_item(request_id);
CREATE TABLE doc_request_file (
	id		INTEGER PRIMARY KEY,
	request_id	INTEGER NOT NULL REFERENCES doc_request(id),
	filename	TEXT NOT NULL,
	mime		TEXT NOT NULL,
	size		INTEGER NOT NULL CHECK (size > 0),
	sha256		TEXT NOT NULL CHECK (length(sha256) = 64),
	uploaded_by	INTEGER NOT NULL REFERENCES account(id),
	uploaded_at	TEXT NOT NULL
);
CREATE INDEX doc_request_file_req ON doc_request_file(request_id);

-- A conclusion that no longer stands: the team's, when the panel sends
-- the case back (专家组退回), or either, when an upheld appeal reopens the
-- case before it. The live tables hold one conclusion per case; the ones
-- they held before are kept here with why they were set aside.
CREATE TABLE conclusion_history (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	which		TEXT NOT NULL CHECK (which IN ('audit', 'expert')),
	verdict		TEXT NOT NULL,
	text		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL,
	set_aside_at	TEXT NOT NULL,
	set_aside_by	INTEGER NOT NULL REFERENCES account(id),
	why		TEXT NOT NULL
);
CREATE INDEX conclusion_history_case ON conclusion_history(case_id, id);

-- 申诉 (§7): an upheld appeal reopens the case at the contested step, the
-- status it was moved back to (NULL: not upheld, or concluded before).
ALTER TABLE appeal ADD COLUMN reopen_to TEXT;

-- 投诉 (§7): the organisation's own register of the complaints it
-- received and how it handled them ("保留记录并采取措施防止问题的再发生"),
-- kept in its portal; the handling is recorded once.
CREATE TABLE org_complaint (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	received_on	TEXT NOT NULL,
	complainant	TEXT NOT NULL,
	text		TEXT NOT NULL,
	recorded_by	INTEGER NOT NULL REFERENCES account(id),
	recorded_at	TEXT NOT NULL,
	handling	TEXT,
	measures	TEXT,
	handled_on	TEXT,
	handled_by	INTEGER REFERENCES account(id),
	handled_at	TEXT
);
CREATE INDEX org_complaint_org ON org_complaint(org_id, id);
-- "测评中心监督部门将在必要时查阅": a supervisor asks to inspect an
-- organisation's register (the organisation sees the request), then
-- reads it.
CREATE TABLE complaint_inspection (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES org(id),
	reason		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	at		TEXT NOT NULL
);
CREATE INDEX complaint_inspection_org ON complaint_inspection(org_id, id);

-- version 7
-- The case over months and years (issue 19).
--
-- The party: from submission on, the frozen round's 单位名称 and
-- 统一社会信用代码 name the applicant on every document of the case
-- (submission.c writes them with each round; kept after disposal, which
-- deletes the round values).
ALTER TABLE cases ADD COLUMN party_name TEXT;
ALTER TABLE cases ADD COLUMN party_uscc TEXT;
UPDATE cases SET
	party_name = (SELECT v.value FROM round r JOIN round_value v ON
	    v.round_id = r.id AND v.field = 'org_name' AND v.row = -1
	    WHERE r.case_id = cases.id AND r.n = cases.rounds),
	party_uscc = (SELECT v.value FROM round r JOIN round_value v ON
	    v.round_id = r.id AND v.field = 'uscc' AND v.row = -1
	    WHERE r.case_id = cases.id AND r.n = cases.rounds)
	WHERE rounds > 0;

-- Supplements: the due date of the latest supplement notice (its month
-- runs from 送达: notice.c's notice_serve sets it when the notice is
-- served, and a new supplement notice clears it until then), and whether
-- the latest round answered it after that date (rules_supplement_late);
-- each answering round keeps the due date it answered and the
-- Asia/Shanghai day it came.
ALTER TABLE cases ADD COLUMN supplement_due TEXT;
ALTER TABLE cases ADD COLUMN answered_late INTEGER NOT NULL DEFAULT 0
    CHECK (answered_late IN (0, 1));
ALTER TABLE round ADD COLUMN day TEXT;
ALTER TABLE round ADD COLUMN answers_due TEXT;
ALTER TABLE round ADD COLUMN late INTEGER NOT NULL DEFAULT 0
    CHECK (late IN (0, 1));
UPDATE cases SET supplement_due = (SELECT sv.due FROM notice n JOIN
    notice_service sv ON sv.notice_id = n.id WHERE n.case_id = cases.id AND
    n.kind = 'supplement' ORDER BY n.id DESC LIMIT 1);
UPDATE round SET day = (SELECT e.day FROM event e WHERE e.case_id =
    round.case_id AND e.at >= round.submitted_at ORDER BY e.id LIMIT 1);
CREATE INDEX cases_supplement ON cases(supplement_due)
    WHERE supplement_due IS NOT NULL;

-- A case's lead changed by a supervisor (reassign.c), with the reason:
-- append-only, shown in the case's timeline beside its events.
CREATE TABLE lead_change (
	id		INTEGER PRIMARY KEY,
	case_id		INTEGER NOT NULL REFERENCES cases(id),
	at		TEXT NOT NULL,
	day		TEXT NOT NULL,
	by_id		INTEGER NOT NULL REFERENCES account(id),
	from_lead	INTEGER REFERENCES account(id),
	to_lead		INTEGER NOT NULL REFERENCES account(id),
	reason		TEXT NOT NULL CHECK (length(reason) > 0)
);
CREATE INDEX lead_change_case ON lead_change(case_id, id);
CREATE TRIGGER lead_change_no_update BEFORE UPDATE ON lead_change
BEGIN
	SELECT RAISE(ABORT, 'lead changes are append-only');
END;
CREATE TRIGGER lead_change_no_delete BEFORE DELETE ON lead_change
BEGIN
	SELECT RAISE(ABORT, 'lead changes are append-only');
END;

-- A message that failed for good and was sent again, to a corrected
-- address, as a new message (outbox.c): the old one names the new.
ALTER TABLE outbox ADD COLUMN resent_as INTEGER REFERENCES outbox(id);

-- Every stored file a case refers to, by table (archive.c: a file is
-- deleted from the store when no case that is not disposed of refers to
-- it). A table that adds file hashes adds itself here.
CREATE VIEW file_ref(sha256, case_id) AS
	SELECT sha256, case_id FROM material
	UNION ALL SELECT f.sha256, r.case_id FROM assessment_file f
	    JOIN assessment_record r ON r.id = f.record_id
	UNION ALL SELECT f.sha256, a.case_id FROM appeal_file f
	    JOIN appeal a ON a.id = f.appeal_id
	UNION ALL SELECT f.sha256, q.case_id FROM doc_request_file f
	    JOIN doc_request q ON q.id = f.request_id;
CREATE INDEX material_sha ON material(sha256);
CREATE INDEX assessment_file_sha ON assessment_file(sha256);
CREATE INDEX appeal_file_sha ON appeal_file(sha256);
CREATE INDEX doc_request_file_sha ON doc_request_file(sha256);
CREATE INDEX assessment_record_case ON assessment_record(case_id);
CREATE INDEX appeal_case ON appeal(case_id);

-- version 8
-- Security, second pass (issue 14).
--
-- A message that carries a secret (the link of a password reset) keeps
-- the secret here and the mark [[SECRET]] in its body: the administrator's
-- view of the outbox never shows it, and `zizhi sweep` blanks it once the
-- message is sent or has failed, so no backup keeps a used link.
ALTER TABLE outbox ADD COLUMN secret TEXT;
-- Files removed from a draft that no round froze lose their material row
-- at once (they no longer count toward the case's cap); their bytes are
-- deleted by `zizhi sweep` a day later if nothing names them by then (a
-- backup running meanwhile still finds them).
CREATE TABLE file_purge (
	sha256		TEXT PRIMARY KEY CHECK (length(sha256) = 64),
	purged		INTEGER NOT NULL	-- unix seconds
) WITHOUT ROWID;
-- A second factor (TOTP, RFC 6238): the shared secret once enrolment is
-- confirmed (totp_secret, raw bytes), the secret offered while enrolling
-- (totp_pending), the last time step accepted (a code works once).
ALTER TABLE account ADD COLUMN totp_secret BLOB;
ALTER TABLE account ADD COLUMN totp_pending BLOB;
ALTER TABLE account ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
-- One-time recovery codes: only their SHA-256 is kept.
CREATE TABLE totp_recovery (
	code_hash	BLOB PRIMARY KEY CHECK (length(code_hash) = 32),
	account_id	INTEGER NOT NULL REFERENCES account(id)
	    ON DELETE CASCADE,
	used		INTEGER			-- unix seconds, or NULL
) WITHOUT ROWID;
CREATE INDEX totp_recovery_account ON totp_recovery(account_id);
-- A session's stage: 0 logged in; 1 the password was right and the
-- second factor is still to come (nothing but /login/code is open to it);
-- 2 logged in, but the site requires a second factor this account has
-- not enrolled (nothing but enrolment and logging out is open to it).
ALTER TABLE session ADD COLUMN stage INTEGER NOT NULL DEFAULT 0
    CHECK (stage IN (0, 1, 2));

-- version 9
-- The work queue's order, kept on the case row so that each role's queue
-- is an index walk (caselist.c, docs/performance.md). A case's urgency
-- on day D compares D with three days that change only with its events:
-- the first day on which it is at risk (net days past two thirds of the
-- target's, as rules.c's at_risk_num / at_risk_den say), over the target,
-- over the limit. They follow from the clock columns above (rebuilt by
-- workflow.c after every transition): the day the net days first exceed
-- the threshold is clock_start + paused days + threshold + 1. A clock that
-- stands still (paused: clock_paused_since; stopped: clock_stopped) keeps
-- the days it reached before and never reaches the others while it
-- stands ('9999-12-31'); a case without a clock never does either.
-- The trigger below writes them whenever the clock columns are written,
-- so nothing else has to (a generated column would do the same, but
-- reading one computes it again, and the queue reads them).
ALTER TABLE cases ADD COLUMN clock_at_risk_on TEXT NOT NULL
    DEFAULT '9999-12-31';
ALTER TABLE cases ADD COLUMN clock_over_target_on TEXT NOT NULL
    DEFAULT '9999-12-31';
ALTER TABLE cases ADD COLUMN clock_over_limit_on TEXT NOT NULL
    DEFAULT '9999-12-31';
CREATE TRIGGER cases_clock_days AFTER UPDATE OF clock_start, clock_paused,
    clock_paused_since, clock_target_net, clock_limit_net, clock_stopped
    ON cases
BEGIN
	UPDATE cases SET
	clock_at_risk_on = CASE WHEN clock_start IS NULL THEN '9999-12-31'
	WHEN date(julianday(clock_start) + clock_paused +
	    clock_target_net * 2 / 3 + 1) <= coalesce(clock_stopped,
	    clock_paused_since, '9999-12-31')
	THEN date(julianday(clock_start) + clock_paused +
	    clock_target_net * 2 / 3 + 1)
	ELSE '9999-12-31' END,
	clock_over_target_on = CASE WHEN clock_start IS NULL THEN '9999-12-31'
	WHEN date(julianday(clock_start) + clock_paused + clock_target_net +
	    1) <= coalesce(clock_stopped, clock_paused_since, '9999-12-31')
	THEN date(julianday(clock_start) + clock_paused + clock_target_net +
	    1)
	ELSE '9999-12-31' END,
	clock_over_limit_on = CASE WHEN clock_start IS NULL THEN '9999-12-31'
	WHEN date(julianday(clock_start) + clock_paused + clock_limit_net +
	    1) <= coalesce(clock_stopped, clock_paused_since, '9999-12-31')
	THEN date(julianday(clock_start) + clock_paused + clock_limit_net +
	    1)
	ELSE '9999-12-31' END
	WHERE id = NEW.id;
END;
-- A case inserted with its clock (a test's fixture, an import) gets its
-- days the same way.
CREATE TRIGGER cases_clock_days_new AFTER INSERT ON cases
    WHEN NEW.clock_start IS NOT NULL
BEGIN
	UPDATE cases SET clock_start = clock_start WHERE id = NEW.id;
END;
UPDATE cases SET clock_start = clock_start WHERE clock_start IS NOT NULL;
-- Each queue walks one index per urgency band, in the order of that
-- band's day: a lead's own cases and the unassigned submissions (lead_id
-- NULL), the cases of a status (assessors, experts, certificate staff),
-- every open case (supervisors, administrators, "all").
CREATE INDEX cases_q_lead_risk ON cases(lead_id, clock_at_risk_on)
    WHERE is_open = 1;
CREATE INDEX cases_q_lead_target ON cases(lead_id, clock_over_target_on)
    WHERE is_open = 1;
CREATE INDEX cases_q_lead_limit ON cases(lead_id, clock_over_limit_on)
    WHERE is_open = 1;
CREATE INDEX cases_q_status_risk ON cases(status, clock_at_risk_on)
    WHERE is_open = 1;
CREATE INDEX cases_q_status_target ON cases(status, clock_over_target_on)
    WHERE is_open = 1;
CREATE INDEX cases_q_status_limit ON cases(status, clock_over_limit_on)
    WHERE is_open = 1;
-- The submissions nobody has taken, for counting the lead's queue.
CREATE INDEX cases_q_pool ON cases(status) WHERE is_open = 1 AND
    lead_id IS NULL;
CREATE INDEX cases_q_open_risk ON cases(is_open, clock_at_risk_on);
CREATE INDEX cases_q_open_target ON cases(is_open, clock_over_target_on);
CREATE INDEX cases_q_open_limit ON cases(is_open, clock_over_limit_on);
-- The list of active staff of a role (the queue's filter of leads) among
-- thousands of applicants' accounts.
CREATE INDEX account_role ON account(role, disabled, name);
-- The entry that reverses a ledger entry (payment.c's list of a case's
-- entries looks it up for each of them): without it every look-up reads
-- every payment of every case.
CREATE INDEX payment_reverses ON payment(reverses) WHERE reverses IS NOT NULL;

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

-- version 11
-- The work queue's to-do facts, kept on the case row so that the list's
-- statement returns them and a page of the queue looks up case by case
-- only an expert's own declaration (caselist.c, docs/performance.md):
-- panel_size, the members of the case's expert panel (0: a panel still
-- to form); doc_request_pending, 1 while a document request (补充资料) is
-- open, which the index doc_request_open allows once a case. Triggers
-- keep them, so nothing else has to; the UPDATEs at the end count what
-- is there already.
ALTER TABLE cases ADD COLUMN panel_size INTEGER NOT NULL DEFAULT 0
    CHECK (panel_size >= 0);
ALTER TABLE cases ADD COLUMN doc_request_pending INTEGER NOT NULL DEFAULT 0
    CHECK (doc_request_pending IN (0, 1));
CREATE TRIGGER panel_member_in AFTER INSERT ON panel_member
BEGIN
	UPDATE cases SET panel_size = panel_size + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER panel_member_out AFTER DELETE ON panel_member
BEGIN
	UPDATE cases SET panel_size = panel_size - 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER panel_member_moved AFTER UPDATE OF case_id ON panel_member
    WHEN NEW.case_id IS NOT OLD.case_id
BEGIN
	UPDATE cases SET panel_size = panel_size - 1 WHERE id = OLD.case_id;
	UPDATE cases SET panel_size = panel_size + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER doc_request_opens AFTER INSERT ON doc_request
    WHEN NEW.closed_at IS NULL
BEGIN
	UPDATE cases SET doc_request_pending = 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER doc_request_closes AFTER UPDATE OF closed_at ON doc_request
    WHEN OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL
BEGIN
	UPDATE cases SET doc_request_pending = 0 WHERE id = NEW.case_id;
END;
UPDATE cases SET panel_size = (SELECT count(*) FROM panel_member p
    WHERE p.case_id = cases.id)
    WHERE id IN (SELECT case_id FROM panel_member);
UPDATE cases SET doc_request_pending = 1
    WHERE id IN (SELECT case_id FROM doc_request WHERE closed_at IS NULL);
