#!/usr/bin/env bash
# Benchmark of erasure (issue 8): on a 1,000,000-contact register with 100,000 requests,
# `rekisteri contact erase` of one person (history, consents, tags, a request; with the
# TRUNCATE checkpoint) vs a `sqlite3` process deleting the same rows with secure_delete=ON
# and checkpointing TRUNCATE, on the same file in the same run. Runs alternate (rekisteri,
# sqlite3, rekisteri, …), each erasing another person; the median of $RUNS each is taken,
# with each side's peak RSS. Target: ratio ≤ 2.0. After each rekisteri erasure the person's
# e-mail must be in none of the file, -wal and -shm.
#
# Usage: benches/erase.sh              (from anywhere; SHARED defaults to ../shared of the repo)
#   N=1000000 REQUESTS=100000 RUNS=5 BENCH_DIR=bench-data SHARED=/path/to/shared benches/erase.sh
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-1000000}
REQUESTS=${REQUESTS:-100000}
RUNS=${RUNS:-5}
SHARED=${SHARED:-../shared}
DIR=${BENCH_DIR:-bench-data}
NOW=2026-11-23T10:00:00Z
mkdir -p "$DIR"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed for the peak RSS (apt-get install time)" >&2; exit 1; }

echo "building (release)…" >&2
cargo build --release --quiet
BIN=$PWD/target/release/rekisteri
export REKISTERI_NOW=$NOW REKISTERI_OPERATOR=bench TZ=UTC

# ---- the register: N contacts, REQUESTS requests, linked rows for the people erased ----
CONTACTS=$DIR/contacts-$N.csv
if [[ ! -s $CONTACTS ]]; then
    echo "generating $N contacts…" >&2
    python3 "$SHARED/tools/gen_contacts.py" "$N" > "$CONTACTS.tmp"
    mv "$CONTACTS.tmp" "$CONTACTS"
fi
BASE=$DIR/erase-base-$N.db
if [[ ! -s $BASE ]]; then
    echo "building the register…" >&2
    rm -f "$BASE" "$BASE-wal" "$BASE-shm"
    # The schema comes from the tool itself; the rows go straight in with sqlite3.
    "$BIN" --db "$BASE" -q init
    REKISTERI_DB=$BASE "$BIN" -q contact add --email seed@example.invalid >/dev/null
    sqlite3 "$BASE" >/dev/null <<SQL
DELETE FROM contacts;
.mode csv
.import $CONTACTS raw
INSERT INTO contacts (id, first_name, last_name, email, phone, company, business_id, position,
    street, postal_code, city, customer_number, birth_date, category, source, started, ended,
    last_contact, notes, created_at, updated_at)
SELECT CAST(id AS INTEGER), nullif(first_name, ''), nullif(last_name, ''), lower(email),
    nullif(phone, ''), nullif(company, ''), nullif(business_id, ''), nullif(position, ''),
    nullif(street, ''), nullif(postal_code, ''), nullif(city, ''), nullif(customer_number, ''),
    nullif(birth_date, ''), category, source, nullif(started, ''), nullif(ended, ''),
    nullif(last_contact, ''), nullif(notes, ''), '$NOW', '$NOW'
FROM raw;
DROP TABLE raw;
-- Requests of people spread over the register; each erased person (every 997th) has one.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $REQUESTS)
INSERT INTO requests (year, seq, type, status, contact_id, received, due, channel, requester,
    details, opened_at, opened_by)
SELECT 2026, i, 'access', 'completed', (i * 997) % $N + 1, '2026-10-01', '2026-11-02', 'email',
    'requester ' || i, 'details of request ' || i, '$NOW', 'bench' FROM n;
-- History, consents and a tag for each person the runs erase (ids 10007, 20014, …).
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 40)
INSERT INTO contact_log (contact_id, date, channel, summary, recorded_at, operator)
SELECT j * 10007, '2026-10-0' || (r % 9 + 1), 'email', 'follow-up note ' || r, '$NOW', 'bench'
FROM k, (SELECT 1 AS r UNION ALL SELECT 2 UNION ALL SELECT 3);
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 40)
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at,
    recorded_at, operator, policy_version)
SELECT j * 10007, 'newsletter', 'granted', 'consent', 'web', 'signup form', '$NOW', '$NOW',
    'bench', 1 FROM k;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 40)
INSERT INTO contact_tags (contact_id, tag) SELECT j * 10007, 'messu-2026' FROM k;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 40)
INSERT INTO requests (year, seq, type, status, contact_id, received, due, channel, requester,
    details, opened_at, opened_by)
SELECT 2026, $REQUESTS + j, 'erasure', 'verified', j * 10007, '2026-11-20', '2026-12-21', 'email',
    'requester of ' || j, 'please erase me ' || j, '$NOW', 'bench' FROM k;
PRAGMA wal_checkpoint(TRUNCATE);
VACUUM;
SQL
fi
echo "register: $(sqlite3 "$BASE" 'SELECT count(*) FROM contacts') contacts, $(sqlite3 "$BASE" 'SELECT count(*) FROM requests') requests, $(du -h "$BASE" | cut -f1)" >&2

WORK=$DIR/erase-work.db
rm -f "$WORK" "$WORK-wal" "$WORK-shm"
cp "$BASE" "$WORK"
chmod 600 "$WORK"
# Untimed warm-up, so the first timed run (always rekisteri's) does not pay for a cold file:
# open the copy once the way both sides will (WAL set up, pages read).
sqlite3 "$WORK" "PRAGMA journal_mode = WAL; SELECT count(*) FROM requests; SELECT count(*) FROM contacts;" >/dev/null

# One run: prints "seconds peak_rss_kib".
measure() {
    local out=$DIR/erase-time.txt
    /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null
    local t rss
    read -r t rss < "$out"
    echo "$t $rss"
}
# /usr/bin/time's %e has 10 ms steps: time the wall clock ourselves, keep its RSS.
run() {
    local t0=$EPOCHREALTIME r
    r=$(measure "$@")
    local t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" -v r="${r#* }" 'BEGIN { printf "%.4f %s\n", b - a, r }'
}

sqlite_sql() { # the same rows, the same way: one transaction, secure_delete, checkpoint
    cat <<SQL
PRAGMA secure_delete = ON;
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
DELETE FROM contact_log WHERE contact_id = $1;
DELETE FROM courses WHERE contact_id = $1;
DELETE FROM purchases WHERE contact_id = $1;
DELETE FROM contact_tags WHERE contact_id = $1;
DELETE FROM holds WHERE contact_id = $1;
DELETE FROM consent_events WHERE contact_id = $1;
UPDATE requests SET requester = NULL, details = NULL, subject_email = NULL
    WHERE contact_id = $1 OR subject_email = (SELECT email FROM contacts WHERE id = $1);
DELETE FROM contacts WHERE id = $1;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}

ours=() theirs=() ours_rss=0 theirs_rss=0
for ((i = 1; i <= RUNS; i++)); do
    a=$((2 * i - 1)) b=$((2 * i))
    id_a=$((a * 10007)) id_b=$((b * 10007))
    email=$(sqlite3 "$WORK" "SELECT email FROM contacts WHERE id = $id_a")
    read -r t rss < <(run env REKISTERI_DB="$WORK" "$BIN" -q contact erase "$id_a" --reason "benchmark")
    ours+=("$t"); ((rss > ours_rss)) && ours_rss=$rss
    # Nothing of the person is left (outside the timing).
    if cat "$WORK" "$WORK-wal" "$WORK-shm" 2>/dev/null | grep -aqF "$email"; then
        echo "FAIL: $email is still in $WORK, its -wal or -shm" >&2
        exit 1
    fi
    # The SQL goes in as arguments, so the process timed is sqlite3 itself.
    read -r t rss < <(run sqlite3 "$WORK" ".timeout 10000" "$(sqlite_sql "$id_b")")
    theirs+=("$t"); ((rss > theirs_rss)) && theirs_rss=$rss
    echo "run $i: rekisteri ${ours[-1]} s, sqlite3 ${theirs[-1]} s" >&2
done
left=$(sqlite3 "$WORK" "SELECT count(*) FROM contacts WHERE id IN ($(seq -s, 10007 10007 $((2 * RUNS * 10007))))")
[[ $left == 0 ]] || { echo "FAIL: $left of the erased contacts are still there" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
m_ours=$(median "${ours[@]}")
m_theirs=$(median "${theirs[@]}")
ratio=$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN { printf "%.2f", a / b }')
echo "erase one person of $N (with the TRUNCATE checkpoint), median of $RUNS alternating runs:"
echo "  rekisteri contact erase: ${m_ours} s, peak RSS $((ours_rss / 1024)) MiB"
echo "  sqlite3 (same rows, secure_delete=ON, wal_checkpoint(TRUNCATE)): ${m_theirs} s, peak RSS $((theirs_rss / 1024)) MiB"
echo "  ratio: ${ratio} (target ≤ 2.0)"
awk -v r="$ratio" 'BEGIN { exit !(r <= 2.0) }'
