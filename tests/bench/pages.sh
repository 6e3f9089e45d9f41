# tests/bench/pages.sh: the pages the benchmark measures, chosen in a
# seeded database (sourced by bench.sh and profile.sh; needs $db).
#
# pick_pages: sets cert (a certificate in the middle of the register),
# big (the case of seed-lead-1, who views it, with the longest history:
# the seed makes every case by the product's steps), big_ev and big_mat (its counts), applicant (the e-mail of
# the applicant with the most cases) and review (a case of seed-lead-1
# in intake review, whose findings that lead saves); 1 when one of them
# is missing.
pages_sql() { sqlite3 -readonly "$db" "$1"; }

pick_pages() {
	cert=$(pages_sql "SELECT no FROM certificate ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM certificate)")
	big=$(pages_sql "SELECT c.id FROM cases c JOIN account a ON a.id = c.lead_id WHERE a.email = 'seed-lead-1@seed.zizhi.test' ORDER BY (SELECT count(*) FROM event e WHERE e.case_id = c.id) DESC, c.id LIMIT 1")
	big_ev=$(pages_sql "SELECT count(*) FROM event WHERE case_id = ${big:-0}")
	big_mat=$(pages_sql "SELECT count(*) FROM material WHERE case_id = ${big:-0}")
	applicant=$(pages_sql "SELECT a.email FROM account a JOIN cases c ON c.org_id = a.org_id WHERE a.role = 'applicant' GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1")
	review=$(pages_sql "SELECT c.id FROM cases c JOIN account a ON a.id = c.lead_id WHERE c.status = 'intake_review' AND a.email = 'seed-lead-1@seed.zizhi.test' ORDER BY c.id LIMIT 1")
	[ -n "$cert" ] && [ -n "$big" ] && [ -n "$applicant" ] && [ -n "$review" ]
}

# The findings the POST saves (the CSRF token goes in front).
findings_body="verdict_form=ok&comment_form=%E5%9F%BA%E5%87%86%E6%B5%8B%E8%AF%95"
