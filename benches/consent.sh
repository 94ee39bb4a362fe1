#!/usr/bin/env bash
# Benchmark of the consent ledger on a 1,000,000-contact register (issue 3):
#  (a) `rekisteri consent import` of 500,000 opt-ins (a Mailchimp-style audience export)
#      vs sqlite3 `.import` of the same file into a plain table + an INSERT … SELECT joining
#      it to the contacts by e-mail, on copies of the same register;
#  (b) `rekisteri export mailing-list` over the register with ~3 consent events per contact
#      vs the equivalent hand-written `sqlite3 -csv` query on the same file (outputs compared).
# Targets: both ratios ≤ 1.0, the import's peak RSS ≤ 32 MiB (issue 6 item 9, measured with
# /usr/bin/time -f %M, which counts memory-mapped file pages too). Each import timing is the
# median of $RUNS runs (default 3), alternating; each export timing the best of $RUNS.
# BEFORE=path/to/an/older/rekisteri also times that binary's import in the same runs.
#
# Usage: benches/consent.sh            (from anywhere; SHARED defaults to ../shared of the repo)
#   N=1000000 OPTINS=1000000 RUNS=3 BENCH_DIR=bench-data SHARED=/path/to/shared benches/consent.sh
#
# BEFORE's timings use that binary's own register of the same data (it refuses a newer schema),
# built once in $BENCH_DIR with its own `init`; its mailing lists must equal this build's.
#
# Measured 2026-12-03 on the shared 2-core machine, idle (load ~1), 1,000,000 contacts, medians of
# 3 alternating runs, BEFORE = 5c59376 (the in-memory import the issue measured):
#   (a) consent import of 1,000,000 opt-ins: 14.70 s, 27.0 MiB; before 13.94 s, 927.7 MiB;
#       sqlite3 15.52 s (0.95x). Two earlier benchmark runs of the same code (2026-12-02, load ~1.2):
#       12.98 s vs before 14.46 s vs sqlite3 13.96 s, and 13.44 s vs 15.52 s vs 16.50 s, so this
#       build took 0.87-1.05x before's time. The same file again (adds nothing): 9.07 s, 26.9 MiB.
#   (b) export mailing-list newsletter (748,866 rows): 3.34 s, 25.5 MiB; before 5.17 s, 567 MiB;
#       sqlite3 6.02 s. b2b-marketing (712,577 rows): 1.71 s, 26.7 MiB; before 2.23 s, 569 MiB;
#       sqlite3 3.15 s. Lists identical to before's.
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-1000000}
OPTINS=${OPTINS:-$N}
RUNS=${RUNS:-3}
SHARED=${SHARED:-../shared}
DIR=${BENCH_DIR:-bench-data}
NOW=2026-11-23T10:00:00Z
mkdir -p "$DIR"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }

echo "building (release)…" >&2
cargo build --release --quiet
BIN=$PWD/target/release/rekisteri
export REKISTERI_NOW=$NOW REKISTERI_OPERATOR=bench TZ=UTC

secs() { # secs CMD… : wall seconds of one run
    local t0=$EPOCHREALTIME
    "$@"
    local t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
# rss CMD… : runs CMD, prints its peak resident set in KiB (wall seconds go to $RSS_SECS_FILE)
rss() {
    local f t0 t1
    f=$(mktemp)
    t0=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$f" "$@"
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }' > "$RSS_SECS_FILE"
    tail -n 1 "$f"
    rm -f "$f"
}
RSS_SECS_FILE=$(mktemp)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ---- the register: 1M contacts ----
CONTACTS=$DIR/contacts-$N.csv
if [[ ! -s $CONTACTS ]]; then
    echo "generating $N contacts…" >&2
    python3 "$SHARED/tools/gen_contacts.py" "$N" > "$CONTACTS.tmp"
    mv "$CONTACTS.tmp" "$CONTACTS"
fi
# build_register DB BINARY: the contacts in a register whose schema comes from BINARY itself
# (an older binary refuses a register newer than itself); the rows go straight in with sqlite3
# (faster, and independent of `contact import`).
build_register() {
    local db=$1 bin=$2
    echo "building $db with $bin…" >&2
    rm -f "$db" "$db-wal" "$db-shm"
    REKISTERI_DB=$db "$bin" -q init
    REKISTERI_DB=$db "$bin" -q contact add --email seed@example.invalid >/dev/null
    sqlite3 "$db" >/dev/null <<SQL
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
PRAGMA wal_checkpoint(TRUNCATE);
VACUUM;
SQL
}
BASE=$DIR/base-$N.db
[[ -s $BASE ]] || build_register "$BASE" "$BIN"
# The tool brings a register made by an earlier build to its own schema once, before any timing.
REKISTERI_DB=$BASE "$BIN" -q audit verify >/dev/null
# With BEFORE, that binary's own register of the same contacts.
BASE_BEFORE=$DIR/base-before-$N.db
if [[ -n ${BEFORE:-} && ! -s $BASE_BEFORE ]]; then build_register "$BASE_BEFORE" "$BEFORE"; fi
echo "register: $(sqlite3 "$BASE" 'SELECT count(*) FROM contacts') contacts, $(du -h "$BASE" | cut -f1)" >&2

fresh() { rm -f "$1" "$1-wal" "$1-shm"; cp "${2:-$BASE}" "$1"; chmod 600 "$1"; } # fresh DB [FROM]

if [[ -z ${SKIP_IMPORT:-} ]]; then
# ---- (a) consent import of 500k opt-ins ----
OPTFILE=$DIR/optins-$OPTINS.csv
if [[ ! -s $OPTFILE ]]; then
    python3 - "$CONTACTS" "$OPTINS" "$N" > "$OPTFILE" <<'PY'
import csv, sys
src, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
step = max(1, n // k)
out = csv.writer(sys.stdout, lineterminator="\n", quoting=csv.QUOTE_ALL)
out.writerow(["Email Address", "First Name", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP"])
written = 0
for i, row in enumerate(csv.DictReader(open(src, newline="", encoding="utf-8"))):
    if i % step or written >= k:
        continue
    written += 1
    d = 1 + i % 28
    ip = f"192.0.2.{i % 250 + 1}"
    confirm = f"2024-03-{d:02d} 10:{i % 60:02d}:{(i * 7) % 60:02d}" if i % 10 else ""
    out.writerow([row["email"], row["first_name"], f"2024-03-{d:02d} 09:{i % 60:02d}:00", ip, confirm, ip if confirm else ""])
PY
fi
echo "opt-in file: $(($(wc -l < "$OPTFILE") - 1)) rows" >&2

A_TOOL=$DIR/a-tool.db
A_SQL=$DIR/a-sqlite.db

# tool_import [BINARY]: the words of the import command (run through /usr/bin/time, so not a function)
tool_import() {
    IMPORT=(env "REKISTERI_DB=$A_TOOL" "${1:-$BIN}" -q consent import "$OPTFILE" --purpose newsletter
        --evidence "Mailchimp audience export (bench)")
}
sqlite_import() {
    sqlite3 "$A_SQL" <<SQL
.mode csv
BEGIN;
.import $OPTFILE imp
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at,
    recorded_at, operator, policy_version, override_objection)
SELECT c.id, 'newsletter', 'granted', 'consent', 'import',
    'Mailchimp audience export (bench); OPTIN_TIME=' || imp.OPTIN_TIME || '; OPTIN_IP=' || imp.OPTIN_IP
        || CASE WHEN imp.CONFIRM_TIME <> '' THEN '; CONFIRM_TIME=' || imp.CONFIRM_TIME || '; CONFIRM_IP=' || imp.CONFIRM_IP ELSE '' END,
    strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(nullif(imp.CONFIRM_TIME, ''), imp.OPTIN_TIME)),
    '$NOW', 'bench', 1, 0
FROM imp JOIN contacts c ON c.email = lower(imp."Email Address");
COMMIT;
SQL
}

times_tool=(); times_sql=(); times_before=(); rss_tool=0; rss_before=0
for run in $(seq "$RUNS"); do
    if [[ -n ${BEFORE:-} ]]; then
        fresh "$A_TOOL" "$BASE_BEFORE"; sync
        tool_import "$BEFORE"; k=$(rss "${IMPORT[@]}"); t0=$(cat "$RSS_SECS_FILE")
        times_before+=("$t0"); ((k > rss_before)) && rss_before=$k
        echo "  import run $run: before ${t0}s $(mib "$k") MiB" >&2
    fi
    fresh "$A_TOOL"; fresh "$A_SQL"; sync
    tool_import; k=$(rss "${IMPORT[@]}"); t=$(cat "$RSS_SECS_FILE")
    times_tool+=("$t"); ((k > rss_tool)) && rss_tool=$k
    t2=$(secs sqlite_import); times_sql+=("$t2")
    echo "  import run $run: rekisteri ${t}s $(mib "$k") MiB, sqlite3 ${t2}s" >&2
done
best_tool=$(median "${times_tool[@]}"); best_sql=$(median "${times_sql[@]}")
n_tool=$(sqlite3 "$A_TOOL" "SELECT count(*) FROM consent_events")
n_sql=$(sqlite3 "$A_SQL" "SELECT count(*) FROM consent_events")
[[ $n_tool == "$n_sql" ]] || { echo "event counts differ: $n_tool vs $n_sql" >&2; exit 1; }
# The same file again adds nothing (idempotent), and how long the check takes.
tool_import; rss_rerun=$(rss "${IMPORT[@]}"); t_rerun=$(cat "$RSS_SECS_FILE")
[[ $(sqlite3 "$A_TOOL" "SELECT count(*) FROM consent_events") == "$n_tool" ]] || { echo "rerun added events" >&2; exit 1; }
IMPORT_RATIO=$(ratio "$best_tool" "$best_sql")

fi

# ---- (b) export mailing-list with a few consent events per contact ----
# ---- (b) export mailing-list with a few consent events per contact ----
# add_events DB: ~3 consent events per contact, and some restricted contacts.
add_events() {
    echo "adding ~3 consent events per contact to $1…" >&2
    sqlite3 "$1" >/dev/null <<SQL
BEGIN;
-- Every contact opted in once, some withdrew, some came back, some refused B2B marketing,
-- a few objected to all direct marketing, a few of those gave a new explicit consent.
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, 'newsletter', 'granted', 'consent', 'web-form', 'signup form v2',
       strftime('%Y-%m-%dT%H:%M:%SZ', '2024-01-01', '+' || (id % 365) || ' days'), '$NOW', 'bench', 1, 0 FROM contacts;
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, 'b2b-marketing', 'withdrawn', 'legitimate-interest', 'email', NULL,
       strftime('%Y-%m-%dT%H:%M:%SZ', '2024-06-01', '+' || (id % 300) || ' days'), '$NOW', 'bench', 1, 0 FROM contacts WHERE id % 4 = 0;
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, 'newsletter', 'withdrawn', 'consent', 'newsletter-service', NULL,
       strftime('%Y-%m-%dT%H:%M:%SZ', '2025-02-01', '+' || (id % 200) || ' days'), '$NOW', 'bench', 1, 0 FROM contacts WHERE id % 3 = 0;
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, 'newsletter', 'granted', 'consent', 'email', 'asked to be added back',
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (id % 200) || ' days'), '$NOW', 'bench', 1, 0 FROM contacts WHERE id % 9 = 0;
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, NULL, 'objected', 'any', 'email', NULL,
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-08-01', '+' || (id % 60) || ' days'), '$NOW', 'bench', 1, 0 FROM contacts WHERE id % 25 = 0;
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, 'newsletter', 'granted', 'consent', 'paper', 'new signed consent',
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-10-15'), '$NOW', 'bench', 1, 1 FROM contacts WHERE id % 100 = 0;
INSERT INTO consent_events (contact_id, purpose, kind, basis, channel, evidence, occurred_at, recorded_at, operator, policy_version, override_objection)
SELECT id, 'newsletter', 'granted', 'consent', 'web-form', 'second form',
       strftime('%Y-%m-%dT%H:%M:%SZ', '2024-09-01', '+' || (id % 90) || ' days'), '$NOW', 'bench', 1, 0 FROM contacts WHERE id % 2 = 1;
UPDATE contacts SET restricted_at = '$NOW' WHERE id % 97 = 0;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}
B=$DIR/b.db
if [[ ! -s $B ]]; then fresh "$B"; add_events "$B"; fi
echo "events: $(sqlite3 "$B" 'SELECT count(*) FROM consent_events') for $(sqlite3 "$B" 'SELECT count(*) FROM contacts') contacts" >&2
B_BEFORE=$DIR/b-before.db
if [[ -n ${BEFORE:-} && ! -s $B_BEFORE ]]; then
    rm -f "$B_BEFORE"; cp "$BASE_BEFORE" "$B_BEFORE"; chmod 600 "$B_BEFORE"; add_events "$B_BEFORE"
fi
# The tool brings the register to its own schema once, before any timing.
REKISTERI_DB=$B "$BIN" -q audit verify >/dev/null

# The hand-written query for the same rules, the very statement the tool runs: per contact
# the latest relevant event, the latest objection and the latest new explicit consent (keys
# sort by the time the person acted, then the event id).
hand_query() { # hand_query PURPOSE opt-in|opt-out
    local s="s AS (SELECT contact_id,
        max(occurred_at || printf('%012d', id) || kind) AS last,
        max(CASE WHEN kind = 'objected' THEN occurred_at || printf('%012d', id) END) AS obj,
        max(CASE WHEN kind = 'granted' AND override_objection THEN occurred_at || printf('%012d', id) END) AS ovr
      FROM consent_events INDEXED BY consent_events_state WHERE purpose = '$1' OR (purpose IS NULL AND kind = 'objected')
      GROUP BY contact_id)"
    local ok="coalesce(s.ovr, '') >= coalesce(s.obj, '') AND substr(s.last, 33) = 'granted'"
    if [[ $2 == opt-in ]]; then
        echo "WITH $s SELECT c.email, c.first_name, c.last_name, c.company
              FROM s CROSS JOIN contacts c ON c.id = s.contact_id
              WHERE c.restricted_at IS NULL AND $ok;"
    else
        echo "WITH $s SELECT c.email, c.first_name, c.last_name, c.company FROM contacts c
              WHERE c.restricted_at IS NULL AND c.id NOT IN (SELECT contact_id FROM s WHERE NOT ($ok));"
    fi
}

export_bench() { # export_bench PURPOSE KIND → sets EXPORT_TOOL EXPORT_SQL EXPORT_ROWS EXPORT_RSS EXPORT_BEFORE EXPORT_BEFORE_RSS
    local p=$1 kind=$2 q
    q=$(hand_query "$p" "$kind")
    local tt=() ts=() tb=() t t2 k
    EXPORT_RSS=0 EXPORT_BEFORE_RSS=0
    for run in $(seq "$RUNS"); do
        if [[ -n ${BEFORE:-} ]]; then
            k=$(rss bash -c "REKISTERI_DB='$B_BEFORE' '$BEFORE' -q export mailing-list --purpose $p > '$DIR/ml-before.csv'")
            tb+=("$(cat "$RSS_SECS_FILE")"); ((k > EXPORT_BEFORE_RSS)) && EXPORT_BEFORE_RSS=$k
        fi
        k=$(rss bash -c "REKISTERI_DB='$B' exec '$BIN' -q export mailing-list --purpose $p > '$DIR/ml-tool.csv'")
        t=$(cat "$RSS_SECS_FILE"); tt+=("$t"); ((k > EXPORT_RSS)) && EXPORT_RSS=$k
        t2=$(secs bash -c "sqlite3 -csv -header '$B' \"$q\" > '$DIR/ml-sqlite.csv'")
        ts+=("$t2")
        echo "  export $p run $run: rekisteri ${t}s ($(mib "$k") MiB), sqlite3 ${t2}s${tb:+, before ${tb[-1]}s}" >&2
    done
    # Same people, same fields (sqlite3 quotes differently and ends lines with CRLF), and
    # the same list as the older binary gave.
    if [[ -n ${BEFORE:-} ]] && ! cmp -s "$DIR/ml-before.csv" "$DIR/ml-tool.csv"; then
        echo "outputs of $BEFORE and $BIN differ for $p" >&2
        exit 1
    fi
    if ! python3 -c 'import csv, sys; r = lambda f: list(csv.reader(open(f, newline="", encoding="utf-8"))); sys.exit(r(sys.argv[1]) != r(sys.argv[2]))' \
        "$DIR/ml-sqlite.csv" "$DIR/ml-tool.csv"; then
        echo "outputs differ for $p" >&2
        exit 1
    fi
    EXPORT_TOOL=$(median "${tt[@]}") EXPORT_SQL=$(median "${ts[@]}") EXPORT_ROWS=$(($(wc -l < "$DIR/ml-tool.csv") - 1))
    EXPORT_BEFORE=$( ((${#tb[@]})) && median "${tb[@]}" || echo "")
}

export_bench newsletter opt-in
NL=("$EXPORT_TOOL" "$EXPORT_SQL" "$EXPORT_ROWS" "$EXPORT_RSS" "$EXPORT_BEFORE" "$EXPORT_BEFORE_RSS")
export_bench b2b-marketing opt-out
B2B=("$EXPORT_TOOL" "$EXPORT_SQL" "$EXPORT_ROWS" "$EXPORT_RSS" "$EXPORT_BEFORE" "$EXPORT_BEFORE_RSS")

echo
echo "rekisteri consent benchmark: $N contacts, medians of $RUNS alternating runs"
printf '%-44s %10s %10s %7s %10s\n' "" "rekisteri" "sqlite3" "ratio" "peak RSS"
if [[ -z ${SKIP_IMPORT:-} ]]; then
    printf '%-44s %9ss %9ss %7s %6s MiB\n' "(a) consent import, $OPTINS opt-ins" "$best_tool" "$best_sql" "$IMPORT_RATIO" "$(mib "$rss_tool")"
    if [[ -n ${BEFORE:-} ]]; then
        printf '%-44s %9ss %10s %7s %6s MiB\n' "    the same with $BEFORE" "$(median "${times_before[@]}")" "" \
            "$(ratio "$(median "${times_before[@]}")" "$best_sql")" "$(mib "$rss_before")"
    fi
    printf '%-44s %9ss %10s %7s %6s MiB\n' "    the same file again (adds nothing)" "$t_rerun" "" "" "$(mib "$rss_rerun")"
fi
for row in NL B2B; do
    declare -n R=$row
    name=$([[ $row == NL ]] && echo "newsletter" || echo "b2b-marketing")
    printf '%-44s %9ss %9ss %7s %6s MiB\n' "(b) export mailing-list $name (${R[2]} rows)" "${R[0]}" "${R[1]}" "$(ratio "${R[0]}" "${R[1]}")" "$(mib "${R[3]}")"
    if [[ -n ${BEFORE:-} ]]; then
        printf '%-44s %9ss %10s %7s %6s MiB\n' "    the same with $BEFORE" "${R[4]}" "" "$(ratio "${R[4]}" "${R[1]}")" "$(mib "${R[5]}")"
    fi
done
echo "targets: ratio ≤ 1.00, peak RSS ≤ 32 MiB"
