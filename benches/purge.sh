#!/usr/bin/env bash
# Purge benchmark: `rekisteri purge` against a bare sqlite3 `DELETE ... WHERE` with
# secure_delete=ON of the same contacts, each on its own copy of the same register file,
# measured in the same run on the same machine (ratios, not absolute times).
#
#   benches/purge.sh [N]                       # N generated contacts, default 1000000
#   SHARED=/path/to/shared RUNS=3 benches/purge.sh 1000000
#
# The register is imported as of 2026-11-23 with the built-in description, so the customers
# whose relationship ended 24 months or more before are due (about a fifth to a quarter of
# the generated rows); prospects and students were added that day and stay.
# Targets: purge <= 1.5x the bare DELETE, peak memory <= 32 MiB.
#
# Needs cargo, python3 and sqlite3; data comes from $SHARED/tools/gen_contacts.py
# (SHARED defaults to ../shared next to the repository). BIN=path measures that binary
# instead of building one. Works in a temp dir, removed at the end. Not part of `cargo test`.
set -euo pipefail

N=${1:-${N:-1000000}}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen_contacts.py
NOW=2026-11-23T10:00:00Z
CUTOFF=2024-11-23

for tool in cargo python3 sqlite3; do
    command -v "$tool" >/dev/null || { echo "purge.sh: $tool is needed" >&2; exit 1; }
done
[ -f "$GEN" ] || {
    echo "purge.sh: cannot find $GEN; set SHARED to the directory holding tools/gen_contacts.py" >&2
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
export REKISTERI_OPERATOR=bench REKISTERI_NOW=$NOW TZ=UTC

# measure CMD...: runs CMD (stdout discarded), prints "wall-seconds max-rss-KiB" (RSS from
# GNU time when there is one, else from wait4).
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
    sys.exit(f"purge.sh: exit {code} from {' '.join(sys.argv[1:])}")
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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "ok" : "MISSED" }'; }

echo "generating $N contacts and importing them ..." >&2
python3 "$GEN" "$N" >base.csv
"$BIN" --db base.db -q init
"$BIN" --db base.db -q contact import base.csv
rm -f base.csv
WHERE="category = 'customer' AND ended IS NOT NULL AND ended <= '$CUTOFF'"
DUE=$(sqlite3 base.db "SELECT count(*) FROM contacts WHERE $WHERE")
TOTAL=$(sqlite3 base.db "SELECT count(*) FROM contacts")
echo "$DUE of $TOTAL contacts are due ($(ratio "$((DUE * 100))" "$TOTAL") %)" >&2

declare -a OURS BARE RSS
for run in $(seq 1 "$RUNS"); do
    rm -f ours.db ours.db-* bare.db bare.db-*
    cp base.db ours.db
    cp base.db bare.db
    # Read both copies once untimed, so neither meets a colder page cache.
    cat ours.db bare.db >/dev/null
    order="bare ours"
    ((run % 2)) || order="ours bare"
    for who in $order; do
        if [ "$who" = bare ]; then
            res=$(measure sqlite3 bare.db "PRAGMA secure_delete = ON; DELETE FROM contacts WHERE $WHERE;")
            bare=${res% *}
        else
            res=$(measure "$BIN" --db ours.db -q purge)
            ours=${res% *} rss=${res#* }
        fi
    done
    left_ours=$(sqlite3 ours.db "SELECT count(*) FROM contacts")
    left_bare=$(sqlite3 bare.db "SELECT count(*) FROM contacts")
    [ "$left_ours" -eq "$left_bare" ] && [ "$left_ours" -eq $((TOTAL - DUE)) ] ||
        { echo "purge.sh: expected $((TOTAL - DUE)) left, purge left $left_ours, sqlite3 $left_bare" >&2; exit 1; }
    OURS+=("$ours") BARE+=("$bare") RSS+=("$rss")
    printf 'run %d: rekisteri purge %.2f s, sqlite3 DELETE %.2f s, max RSS %d KiB\n' "$run" "$ours" "$bare" "$rss"
done

o=$(median "${OURS[@]}") b=$(median "${BARE[@]}")
peak=$(printf '%s\n' "${RSS[@]}" | sort -n | tail -1)
peak_mib=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
r=$(ratio "$o" "$b")
echo
echo "contacts: $TOTAL, due: $DUE; medians of $RUNS runs"
printf 'purge          rekisteri %7.2f s   sqlite3 %7.2f s   ratio %s (target <= 1.50) %s\n' "$o" "$b" "$r" "$(verdict "$r" 1.5)"
printf 'peak memory    rekisteri %7s MiB                          (target <= 32 MiB) %s\n' "$peak_mib" "$(verdict "$peak_mib" 32)"
