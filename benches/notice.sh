#!/usr/bin/env bash
# Privacy-notice benchmark: `rekisteri export notice` as a whole process (start, open the
# register, read and parse the description, render, write), against a sqlite3 process that
# only reads the same stored description, measured in the same run (alternating).
#
#   benches/notice.sh                    # RUNS=7 by default
#   RUNS=11 BIN=target/release/rekisteri benches/notice.sh
#
# The register holds examples/policy.toml as versions 1 and 2 (2 with a few changes, taking
# effect later), so --changes-since parses and compares two versions. Measures (medians):
#   fi md     export notice                              target <= 10 ms
#   en html   export notice --lang en --format html      target <= 10 ms
#   changes   export notice --changes-since 1 --format html
#   file      export notice --format html --output FILE (0600, synced, placed)
#   sqlite3   SELECT body FROM policy_versions WHERE version = 1
# Also `rekisteri --version` (the process starting and ending, for scale) and peak RSS.
# Needs cargo, python3 and sqlite3. Not part of `cargo test`.
set -euo pipefail

RUNS=${RUNS:-7}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

for tool in cargo python3 sqlite3; do
    command -v "$tool" >/dev/null || { echo "notice.sh: $tool is needed" >&2; exit 1; }
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

# measure CMD...: runs CMD (stdout discarded), prints its wall seconds. The child runs
# directly, not under /usr/bin/time: at 10 ms a second exec would be a tenth of the figure.
# peak RSS is taken apart, with `/usr/bin/time -f %M`, in runs that are not timed.
cat >measure.py <<'EOF'
import os, subprocess, sys, time
cmd = sys.argv[1:]
start = time.perf_counter()
code = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
if code != 0:
    sys.exit(f"notice.sh: exit {code} from {' '.join(cmd)}")
print(f"{wall:.4f}")
EOF
peak_rss() { /usr/bin/time -f %M -o rss.txt "$@" >/dev/null && tail -n 1 rss.txt; }
measure() { python3 measure.py "$@"; }
median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

"$BIN" --quiet init --policy "$ROOT/examples/policy.toml"
sed -e 's/deletion_interval_months = 24/deletion_interval_months = 36/' \
    -e 's/^months = 60$/months = 72/' "$ROOT/examples/policy.toml" >v2.toml
"$BIN" --quiet policy apply v2.toml --effective 2027-01-01 >/dev/null
SQL="SELECT body FROM policy_versions WHERE version = 1;"
"$BIN" --quiet export notice >/dev/null
sqlite3 "$REKISTERI_DB" "$SQL" >/dev/null

fimd=() enhtml=() changes=() file=() sq=() base=()
for run in $(seq "$RUNS"); do
    fimd+=("$(measure "$BIN" --quiet export notice)")
    sq+=("$(measure sqlite3 "$REKISTERI_DB" "$SQL")")
    base+=("$(measure "$BIN" --version)")
    enhtml+=("$(measure "$BIN" --quiet export notice --lang en --format html)")
    changes+=("$(measure "$BIN" --quiet export notice --changes-since 1 --format html)")
    file+=("$(measure "$BIN" --quiet export notice --format html --output "notice-$run.html")")
done
rss=()
for _ in 1 2 3; do rss+=("$(peak_rss "$BIN" --quiet export notice)"); done
awk -v a="$(median "${fimd[@]}")" -v b="$(median "${enhtml[@]}")" -v c="$(median "${changes[@]}")" \
    -v d="$(median "${file[@]}")" -v s="$(median "${sq[@]}")" -v m="$(median "${rss[@]}")" \
    -v base="$(median "${base[@]}")" \
    -v runs="$RUNS" -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" 'BEGIN {
    printf "export notice, whole process, median of %d (load average %s):\n", runs, load
    printf "  fi md                  %5.1f ms  (target <= 10 ms: %s)\n", a * 1000, (a <= 0.010) ? "ok" : "MISSED"
    printf "  en html                %5.1f ms  (target <= 10 ms: %s)\n", b * 1000, (b <= 0.010) ? "ok" : "MISSED"
    printf "  --changes-since 1 html %5.1f ms\n", c * 1000
    printf "  html --output FILE     %5.1f ms\n", d * 1000
    printf "  sqlite3 reading the description: %.1f ms (fi md is %.2fx)\n", s * 1000, a / s
    printf "  rekisteri --version    %5.1f ms  (starting the process alone, for scale)\n", base * 1000
    printf "  peak RSS (fi md)       %5.1f MiB\n", m / 1024
}'
