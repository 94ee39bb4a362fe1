#!/usr/bin/env bash
# Record-of-processing-activities benchmark: `rekisteri export ropa` as a whole process, from a
# register made with examples/policy.toml (7 purposes, both languages), against a sqlite3
# process reading the same description from the same file, measured in the same run
# (alternating), so the figure is also a ratio.
#
#   benches/ropa.sh [N]                      # N contacts imported first (default 0: none)
#   SHARED=/path/to/shared RUNS=7 benches/ropa.sh 1000000
#
# Measures (medians over RUNS runs):
#   md      `export ropa` (Finnish Markdown to a pipe)      target <= 10 ms for the whole process
#   csv     `export ropa --format csv --lang en`
#   file    `export ropa --output FILE` (temp file, fsync, rename)
#   sqlite3 `SELECT body FROM policy_versions` of the newest version, via sqlite3
#   memory  peak RSS of `export ropa`
#
# The record reads only the description, so contacts change little; N > 0 imports them from
# $SHARED/tools/gen_contacts.py to show that. Needs cargo, python3 and sqlite3. BIN=path
# measures that binary. Not part of `cargo test`.
set -euo pipefail

N=${1:-${N:-0}}
RUNS=${RUNS:-7}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen_contacts.py

for tool in cargo python3 sqlite3; do
    command -v "$tool" >/dev/null || { echo "ropa.sh: $tool is needed" >&2; exit 1; }
done
if [ "$N" -gt 0 ] && [ ! -f "$GEN" ]; then
    echo "ropa.sh: cannot find $GEN; set SHARED to the directory holding tools/gen_contacts.py" >&2
    exit 1
fi

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
    sys.exit(f"ropa.sh: exit {code} from {' '.join(sys.argv[1:])}")
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

"$BIN" --quiet init --policy "$ROOT/examples/policy.toml" >/dev/null
if [ "$N" -gt 0 ]; then
    echo "generating and importing $N contacts ..." >&2
    python3 "$GEN" "$N" >base.csv
    "$BIN" --quiet contact import base.csv >/dev/null
    rm -f base.csv
fi
SQL="SELECT body FROM policy_versions ORDER BY version DESC LIMIT 1;"
# Warm the page cache for both.
"$BIN" --quiet export ropa >/dev/null
sqlite3 "$REKISTERI_DB" "$SQL" >/dev/null

md=() csv=() file=() theirs=() rss=()
for run in $(seq "$RUNS"); do
    read -r t m < <(measure "$BIN" --quiet export ropa)
    md+=("$t") rss+=("$m")
    read -r t _ < <(measure sqlite3 "$REKISTERI_DB" "$SQL")
    theirs+=("$t")
    read -r t _ < <(measure "$BIN" --quiet export ropa --format csv --lang en)
    csv+=("$t")
    read -r t _ < <(measure "$BIN" --quiet export ropa --output "ropa-$run.md")
    file+=("$t")
done
o=$(median "${md[@]}")
c=$(median "${csv[@]}")
f=$(median "${file[@]}")
s=$(median "${theirs[@]}")
m=$(median "${rss[@]}")
awk -v o="$o" -v c="$c" -v f="$f" -v s="$s" -v m="$m" -v runs="$RUNS" -v n="$N" 'BEGIN {
    printf "export ropa (examples/policy.toml, 7 purposes, %d contacts), median of %d:\n", n, runs
    printf "  md         %.1f ms  (target <= 10 ms: %s)\n", o * 1000, (o <= 0.010) ? "ok" : "MISSED"
    printf "  csv        %.1f ms  (target <= 10 ms: %s)\n", c * 1000, (c <= 0.010) ? "ok" : "MISSED"
    printf "  --output   %.1f ms  (target <= 10 ms: %s)\n", f * 1000, (f <= 0.010) ? "ok" : "MISSED"
    printf "  sqlite3    %.1f ms  (md ratio %.2fx)\n", s * 1000, o / s
    printf "  peak RSS   %.1f MiB\n", m / 1024
}'
