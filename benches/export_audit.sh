#!/usr/bin/env bash
# Audit export benchmark: `rekisteri export audit` of a trail of 1,000,000 events as a whole
# process, against `sqlite3 -csv` selecting the same columns from the same register, measured
# in the same run (alternating), so the figure is also a ratio.
#
#   benches/export_audit.sh [N]                  # N events (default 1000000)
#   RUNS=5 benches/export_audit.sh
#
# Measures (medians over RUNS runs, stdout to /dev/null):
#   csv      `export audit` (CSV)                           target <= 1.0x sqlite3 -csv
#   sqlite3  `sqlite3 -csv -header` of id, at, operator, action, object_ids, detail, prev_hash, hash
#   memory   peak RSS of `export audit`                     target <= 32 MiB
#   and, for the record: `--format json`, `--output FILE`, and a one-month `--since/--until`.
#
# The register is a real one: made by `rekisteri init`, then N - 1 events appended by Python in
# the stored format, each hash chained to the one before (the mix of actions, ids and details a
# busy register has); `rekisteri audit verify` checks the chain before anything is timed. Needs
# cargo, python3 and sqlite3. BIN=path measures that binary. Not part of `cargo test`.
set -euo pipefail

N=${1:-${N:-1000000}}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

for tool in cargo python3 sqlite3; do
    command -v "$tool" >/dev/null || { echo "export_audit.sh: $tool is needed" >&2; exit 1; }
done

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
    sys.exit(f"export_audit.sh: exit {code} from {' '.join(sys.argv[1:])}")
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

echo "making a register with $N audit events ..." >&2
"$BIN" --quiet init >/dev/null
python3 - "$REKISTERI_DB" "$N" <<'EOF'
import hashlib, sqlite3, sys
from datetime import datetime, timedelta, timezone

db, n = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(db)
last_id, prev = conn.execute("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
# Two years of a busy register, oldest first, a few seconds apart.
start = datetime(2024, 11, 23, 8, 0, tzinfo=timezone.utc)
step = (datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc) - start) / max(n, 1)
operators = ["anna", "bertil", "cron", "import", "purge"]
kinds = [
    ("contact.add", lambda i: f"contact:{i}", lambda i: ""),
    ("contact.show", lambda i: f"contact:{i // 3 + 1}", lambda i: ""),
    ("contact.edit", lambda i: f"contact:{i // 5 + 1}", lambda i: "fields=phone,city"),
    ("consent.grant", lambda i: f"contact:{i // 2 + 1},consent:{i}", lambda i: "purpose=newsletter"),
    ("export.mailing-list", lambda i: f"contact:1-{i // 4 + 1},{i // 2 + 7}", lambda i: f"purpose=newsletter count={i // 4 + 2}"),
    ("request.open", lambda i: f"request:{i // 100 + 1},contact:{i // 7 + 1}", lambda i: f"request=R-2026-{i // 100 + 1:04},type=access"),
    ("contact.list", lambda i: f"contact:{i // 11 + 1}-{i // 11 + 40}", lambda i: "count=40"),
]

def rows():
    global prev
    for k in range(1, n):
        i = last_id + k
        at = (start + step * k).strftime("%Y-%m-%dT%H:%M:%SZ")
        op = operators[i % len(operators)]
        action, ids, detail = kinds[i % len(kinds)]
        ids, detail = ids(i), detail(i)
        h = hashlib.sha256()
        for part in (str(i), at, op, action, ids, detail, prev):
            h.update(part.encode())
            h.update(b"\x1f")
        digest = h.hexdigest()
        yield (i, at, op, action, ids, detail, prev, digest)
        prev = digest

conn.executemany("INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
conn.commit()
conn.close()
EOF
"$BIN" --quiet audit verify >/dev/null || { echo "export_audit.sh: the chain does not verify" >&2; exit 1; }
EVENTS=$(sqlite3 "$REKISTERI_DB" "SELECT count(*) FROM audit_events")
SIZE=$(du -m "$REKISTERI_DB" | cut -f1)
echo "$EVENTS events, register $SIZE MiB; the chain verifies" >&2

SQL="SELECT id, at, operator, action, object_ids, detail, prev_hash, hash FROM audit_events ORDER BY id;"
# The same rows (sqlite3 writes an empty text as ""; the values are what count). The export's
# own event comes after the last row it holds, so it is not in the file.
"$BIN" --quiet export audit >ours.csv
sqlite3 -csv -header "$REKISTERI_DB" "$SQL" >theirs.csv
python3 - ours.csv theirs.csv <<'EOF2'
import csv, sys
with open(sys.argv[1], newline="") as a, open(sys.argv[2], newline="") as b:
    ours, theirs = list(csv.reader(a)), list(csv.reader(b))
# sqlite3 ran after the export, so its trail has the export's own event at the end.
if theirs[-1][3] == "export.audit" and len(theirs) == len(ours) + 1:
    theirs.pop()
if ours != theirs:
    diff = next((i for i, (x, y) in enumerate(zip(ours, theirs)) if x != y), min(len(ours), len(theirs)))
    sys.exit(f"export_audit.sh: export audit and sqlite3 -csv differ at row {diff}: "
             f"{ours[diff] if diff < len(ours) else None} vs {theirs[diff] if diff < len(theirs) else None}")
EOF2
BYTES=$(wc -c <ours.csv)
rm -f ours.csv theirs.csv
echo "the rows are the same as sqlite3's ($((BYTES / 1048576)) MiB of CSV)" >&2

ours=() theirs=() rss=() srss=() json=() jrss=() file=() frss=() month=() mrss=()
for run in $(seq "$RUNS"); do
    read -r t m < <(measure "$BIN" --quiet export audit)
    ours+=("$t") rss+=("$m")
    read -r t m < <(measure sqlite3 -csv -header "$REKISTERI_DB" "$SQL")
    theirs+=("$t") srss+=("$m")
    read -r t m < <(measure "$BIN" --quiet --format json export audit)
    json+=("$t") jrss+=("$m")
    read -r t m < <(measure "$BIN" --quiet export audit --output "audit-$run.csv")
    file+=("$t") frss+=("$m")
    rm -f "audit-$run.csv"
    read -r t m < <(measure "$BIN" --quiet export audit --since 2025-06-01 --until 2025-06-30)
    month+=("$t") mrss+=("$m")
done
awk -v o="$(median "${ours[@]}")" -v s="$(median "${theirs[@]}")" \
    -v m="$(median "${rss[@]}")" -v sm="$(median "${srss[@]}")" \
    -v j="$(median "${json[@]}")" -v jm="$(median "${jrss[@]}")" \
    -v f="$(median "${file[@]}")" -v fm="$(median "${frss[@]}")" \
    -v mo="$(median "${month[@]}")" -v mm="$(median "${mrss[@]}")" \
    -v runs="$RUNS" -v n="$EVENTS" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "export audit of %d events, median of %d alternating runs (load average %s):\n", n, runs, load
    printf "  rekisteri csv     %7.3f s  peak RSS %5.1f MiB  (target <= 1.0x: %.2fx %s; <= 32 MiB: %s)\n",
        o, m / 1024, o / s, (o <= s) ? "ok" : "MISSED", (m <= 32 * 1024) ? "ok" : "MISSED"
    printf "  sqlite3 -csv      %7.3f s  peak RSS %5.1f MiB\n", s, sm / 1024
    printf "  rekisteri json    %7.3f s  peak RSS %5.1f MiB  (%.2fx sqlite3 -csv)\n", j, jm / 1024, j / s
    printf "  csv --output FILE %7.3f s  peak RSS %5.1f MiB  (%.2fx, file synced and placed)\n", f, fm / 1024, f / s
    printf "  csv, one month    %7.3f s  peak RSS %5.1f MiB  (--since 2025-06-01 --until 2025-06-30)\n", mo, mm / 1024
}'
