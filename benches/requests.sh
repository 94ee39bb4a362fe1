#!/usr/bin/env bash
# Request benchmark: `rekisteri request list --overdue` over 1,000,000 contacts and 100,000
# requests, as a whole process, against a sqlite3 process running the same query on the same
# register, measured in the same run (alternating), so the figure is also a ratio.
#
#   benches/requests.sh [N] [R]                  # N contacts (default 1000000), R requests (100000)
#   SHARED=/path/to/shared RUNS=5 benches/requests.sh
#
# Measures (medians over RUNS runs):
#   list    `request list --overdue` (table to a pipe)      target <= 20 ms for the whole process
#   sqlite3 the same selection (`status IN (open) AND due < today ORDER BY due`) via sqlite3
#   memory  peak RSS of `request list --overdue`
#
# The requests are inserted with one SQL statement: received dates spread over 2024-01-01 to
# 2026-11-23, due one month later (weekends skipped; holidays do not matter for timing); the
# ones received before November are completed except one in a thousand, left open and so
# overdue, the newer ones are open. Needs cargo, python3 and sqlite3; contacts come from
# $SHARED/tools/gen_contacts.py. BIN=path measures that binary. Not part of `cargo test`.
set -euo pipefail

N=${1:-${N:-1000000}}
R=${2:-${R:-100000}}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen_contacts.py

for tool in cargo python3 sqlite3; do
    command -v "$tool" >/dev/null || { echo "requests.sh: $tool is needed" >&2; exit 1; }
done
[ -f "$GEN" ] || {
    echo "requests.sh: cannot find $GEN; set SHARED to the directory holding tools/gen_contacts.py" >&2
    exit 1
}

if [ -z "${BIN:-}" ]; then
    echo "building (release) ..." >&2
    cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
    TARGET=$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    BIN=$TARGET/release/rekisteri
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rekisteri-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export REKISTERI_OPERATOR=bench REKISTERI_DB=$WORK/register.db REKISTERI_NOW=2026-11-23T10:00:00Z
TODAY=2026-11-23

# measure CMD...: runs CMD (stdout discarded), prints "wall-seconds max-rss-KiB".
cat >measure.py <<'EOF'
import os, shutil, subprocess, sys, tempfile, time
cmd = sys.argv[1:]
gnu_time = shutil.which("time", path="/usr/bin:/bin")
rss_file = None
if gnu_time:
    fd, rss_file = tempfile.mkstemp(dir=".")
    os.close(fd)
    cmd = [gnu_time, "-f", "%M", "-o", rss_file] + cmd
start = time.perf_counter()
child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
if code != 0:
    sys.exit(f"requests.sh: exit {code} from {' '.join(sys.argv[1:])}")
rss = usage.ru_maxrss
if rss_file:
    with open(rss_file) as f:
        rss = int(f.read().split()[-1])
    os.unlink(rss_file)
print(f"{wall:.4f} {rss}")
EOF
measure() { python3 measure.py "$@"; }
median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "generating and importing $N contacts ..." >&2
python3 "$GEN" "$N" >base.csv
"$BIN" --quiet init >/dev/null
"$BIN" --quiet contact import base.csv >/dev/null
rm -f base.csv

echo "inserting $R requests ..." >&2
sqlite3 "$REKISTERI_DB" <<EOF
PRAGMA foreign_keys = ON;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $R),
r AS (
    SELECT i,
           date('2024-01-01', '+' || (i * (julianday('$TODAY') - julianday('2024-01-01')) / $R) || ' days') AS received
    FROM n),
d AS (
    SELECT i, received, date(received, '+1 month') AS m FROM r)
INSERT INTO requests (year, seq, type, status, contact_id, received, due, channel, opened_at, opened_by)
SELECT CAST(substr(received, 1, 4) AS INTEGER),
       row_number() OVER (PARTITION BY substr(received, 1, 4) ORDER BY i),
       CASE i % 7 WHEN 0 THEN 'access' WHEN 1 THEN 'rectification' WHEN 2 THEN 'erasure'
            WHEN 3 THEN 'restriction' WHEN 4 THEN 'portability' WHEN 5 THEN 'objection'
            ELSE 'withdrawal' END,
       CASE WHEN received >= '2026-11-01' THEN 'received'
            WHEN i % 1000 = 0 THEN 'verified'
            ELSE 'completed' END,
       1 + (i * 7919) % $N,
       received,
       CASE strftime('%w', m) WHEN '6' THEN date(m, '+2 days') WHEN '0' THEN date(m, '+1 day') ELSE m END,
       'email', received || 'T09:00:00Z', 'bench'
FROM d;
EOF
OVERDUE=$("$BIN" --quiet --format csv request list --overdue | tail -n +2 | wc -l)
echo "$OVERDUE of $R requests are overdue on $TODAY" >&2

SQL="SELECT year, seq, type, status, contact_id, received, due FROM requests
     WHERE status IN ('received', 'verified', 'fulfilled') AND due < '$TODAY' ORDER BY due, year, seq;"
# Warm the page cache for both.
"$BIN" --quiet request list --overdue >/dev/null
sqlite3 "$REKISTERI_DB" "$SQL" >/dev/null

ours=() theirs=() rss=()
for _ in $(seq "$RUNS"); do
    read -r t m < <(measure "$BIN" --quiet request list --overdue)
    ours+=("$t") rss+=("$m")
    read -r t _ < <(measure sqlite3 "$REKISTERI_DB" "$SQL")
    theirs+=("$t")
done
o=$(median "${ours[@]}")
s=$(median "${theirs[@]}")
m=$(median "${rss[@]}")
awk -v o="$o" -v s="$s" -v m="$m" -v runs="$RUNS" -v n="$N" -v r="$R" -v k="$OVERDUE" 'BEGIN {
    printf "request list --overdue (%d contacts, %d requests, %d overdue), median of %d:\n", n, r, k, runs
    printf "  rekisteri  %.1f ms  (target <= 20 ms: %s)\n", o * 1000, (o <= 0.020) ? "ok" : "MISSED"
    printf "  sqlite3    %.1f ms  (ratio %.2fx)\n", s * 1000, o / s
    printf "  peak RSS   %.1f MiB\n", m / 1024
}'

# request fulfil of an access request for one person: the whole answer (R-….json + R-….md) written.
acc=() accrss=()
for run in $(seq "$RUNS"); do
    id=$("$BIN" --quiet request open --type access --subject $((1 + run * 7919 % N)))
    "$BIN" --quiet request verify "$id" --method bench >/dev/null
    mkdir -p "answers-$run"
    read -r t m < <(measure "$BIN" --quiet request fulfil "$id" --output "answers-$run")
    acc+=("$t") accrss+=("$m")
done
o=$(median "${acc[@]}")
m=$(median "${accrss[@]}")
awk -v o="$o" -v m="$m" -v runs="$RUNS" 'BEGIN {
    printf "request fulfil (access, one person, files written), median of %d:\n", runs
    printf "  rekisteri  %.1f ms  (target <= 20 ms: %s)\n", o * 1000, (o <= 0.020) ? "ok" : "MISSED"
    printf "  peak RSS   %.1f MiB\n", m / 1024
}'
