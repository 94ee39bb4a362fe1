#!/usr/bin/env bash
# Import benchmark: `rekisteri contact import` against the sqlite3 CLI, measured in the same run
# on the same machine, so the figures are ratios rather than absolute times.
#
#   benches/import.sh [N]                       # N generated contacts, default 1000000
#   SHARED=/path/to/shared RUNS=3 benches/import.sh 1000000
#
# Measures (each a median over RUNS runs, ours and sqlite3's interleaved):
#   fresh   import of N rows into a new register   vs  sqlite3 .import into a plain table
#           with the same columns and a unique e-mail index           (target <= 0.8x)
#   append  import of N/10 more rows (distinct e-mails) into it       vs  sqlite3 appending
#           the same rows to its table                                (target <= 1.2x)
#   memory  peak RSS of the imports                                   (target <= 32 MiB)
#   show    `rekisteri contact show EMAIL` vs a sqlite3 point lookup on the same register,
#           when this build has `contact show`                        (target <= 2x)
#
# Needs cargo, python3 and sqlite3; data comes from $SHARED/tools/gen_contacts.py
# (SHARED defaults to ../shared next to the repository). BIN=path measures that binary
# instead of building one. Works in a temp dir, removed at the end. Not part of `cargo test`.
set -euo pipefail

N=${1:-${N:-1000000}}
M=$((N / 10 > 0 ? N / 10 : 1))
RUNS=${RUNS:-3}
SHOWS=${SHOWS:-21}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
GEN=$SHARED/tools/gen_contacts.py

for tool in cargo python3 sqlite3; do
    command -v "$tool" >/dev/null || { echo "import.sh: $tool is needed" >&2; exit 1; }
done
[ -f "$GEN" ] || {
    echo "import.sh: cannot find $GEN; set SHARED to the directory holding tools/gen_contacts.py" >&2
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
export REKISTERI_OPERATOR=bench

# measure CMD...: runs CMD (stdout discarded), prints "wall-seconds max-rss-KiB". The RSS
# comes from GNU time when there is one: a child of python would also count python's own
# pages, which it shares until exec.
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
    sys.exit(f"import.sh: exit {code} from {' '.join(sys.argv[1:])}")
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

echo "generating $N contacts, and $M more with e-mails not among them ..." >&2
python3 "$GEN" "$N" >base.csv
# A second seed repeats many e-mails of the first file (first.last@domain): generate extra
# and keep only rows whose e-mail the base file does not have.
for factor in 3 10 30; do
    python3 "$GEN" $((factor * M)) 4242 >candidates.csv
    if python3 - base.csv candidates.csv "$M" >more.csv <<'EOF'; then break; fi
import csv, sys
base_file, cand_file, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(base_file, newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    email = next(rows).index("email")
    taken = {r[email].lower() for r in rows}
out = csv.writer(sys.stdout, lineterminator="\n")
n = 0
with open(cand_file, newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    out.writerow(next(rows))
    for r in rows:
        if r[email].lower() not in taken:
            taken.add(r[email].lower())
            out.writerow(r)
            n += 1
            if n == want:
                sys.exit(0)
sys.exit(1)
EOF
done
[ "$(($(wc -l <more.csv) - 1))" -eq "$M" ] || { echo "import.sh: could not make $M distinct rows" >&2; exit 1; }
rm -f candidates.csv

COLUMNS_SQL=$(head -1 base.csv | sed 's/,/ TEXT, /g; s/$/ TEXT/')
sqlite_table() {
    sqlite3 "$1" "CREATE TABLE contacts ($COLUMNS_SQL); CREATE UNIQUE INDEX contacts_email ON contacts (email);"
}

declare -a S_FRESH R_FRESH S_APPEND R_APPEND RSS
for run in $(seq 1 "$RUNS"); do
    rm -f plain.db register.db register.db-*
    sqlite_table plain.db
    # Alternate who goes first, so neither always meets a warmer or colder machine.
    order="sqlite ours"
    ((run % 2)) || order="ours sqlite"
    for who in $order; do
        if [ "$who" = sqlite ]; then
            res=$(measure sqlite3 plain.db ".import --csv --skip 1 base.csv contacts")
            s_fresh=${res% *}
        else
            # A named register is made only by init (not timed: it is the same few ms for any N).
            "$BIN" --db register.db -q init
            res=$(measure "$BIN" --db register.db -q contact import base.csv)
            r_fresh=${res% *} r_rss=${res#* }
        fi
    done
    for who in $order; do
        if [ "$who" = sqlite ]; then
            res=$(measure sqlite3 plain.db ".import --csv --skip 1 more.csv contacts")
            s_append=${res% *}
        else
            res=$(measure "$BIN" --db register.db -q contact import more.csv)
            r_append=${res% *} r_rss2=${res#* }
        fi
    done
    got=$(sqlite3 register.db "SELECT count(*) FROM contacts")
    want=$(sqlite3 plain.db "SELECT count(*) FROM contacts")
    [ "$got" -eq $((N + M)) ] && [ "$want" -eq $((N + M)) ] ||
        { echo "import.sh: expected $((N + M)) rows, register has $got, sqlite3 table $want" >&2; exit 1; }
    S_FRESH+=("$s_fresh") R_FRESH+=("$r_fresh") S_APPEND+=("$s_append") R_APPEND+=("$r_append")
    RSS+=("$r_rss" "$r_rss2")
    printf 'run %d: fresh rekisteri %.2f s, sqlite3 %.2f s | append rekisteri %.2f s, sqlite3 %.2f s | max RSS %d / %d KiB\n' \
        "$run" "$r_fresh" "$s_fresh" "$r_append" "$s_append" "$r_rss" "$r_rss2"
done

rf=$(median "${R_FRESH[@]}") sf=$(median "${S_FRESH[@]}")
ra=$(median "${R_APPEND[@]}") sa=$(median "${S_APPEND[@]}")
peak=$(printf '%s\n' "${RSS[@]}" | sort -n | tail -1)
peak_mib=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
r1=$(ratio "$rf" "$sf") r2=$(ratio "$ra" "$sa")
echo
echo "rows: $N, then $M more; medians of $RUNS runs"
printf 'fresh import   rekisteri %7.2f s   sqlite3 %7.2f s   ratio %s (target <= 0.80) %s\n' "$rf" "$sf" "$r1" "$(verdict "$r1" 0.8)"
printf 'append         rekisteri %7.2f s   sqlite3 %7.2f s   ratio %s (target <= 1.20) %s\n' "$ra" "$sa" "$r2" "$(verdict "$r2" 1.2)"
printf 'peak memory    rekisteri %7s MiB                          (target <= 32 MiB) %s\n' "$peak_mib" "$(verdict "$peak_mib" 32)"

if "$BIN" contact show --help >/dev/null 2>&1; then
    email=$(python3 -c '
import csv, sys
rows = list(csv.reader(open("base.csv", newline="", encoding="utf-8")))
print(rows[len(rows) // 2][3])')
    lookup="SELECT * FROM contacts WHERE email = '${email//\'/\'\'}'"
    declare -a R_SHOW S_SHOW
    for _ in $(seq 1 "$SHOWS"); do
        res=$(measure "$BIN" --db register.db -q contact show "$email")
        R_SHOW+=("${res% *}")
        res=$(measure sqlite3 register.db "$lookup")
        S_SHOW+=("${res% *}")
    done
    rs=$(median "${R_SHOW[@]}") ss=$(median "${S_SHOW[@]}")
    r3=$(ratio "$rs" "$ss")
    printf 'contact show   rekisteri %7.1f ms  sqlite3 %7.1f ms  ratio %s (target <= 2.00) %s  (median of %d)\n' \
        "$(awk -v s="$rs" 'BEGIN { print s * 1000 }')" "$(awk -v s="$ss" 'BEGIN { print s * 1000 }')" \
        "$r3" "$(verdict "$r3" 2)" "$SHOWS"
else
    echo "contact show   skipped: this build has no \`contact show\`"
fi
