#!/usr/bin/env bash
# Purge benchmark: `rekisteri purge` against bare sqlite3 deletions with secure_delete=ON of
# the same contacts and their linked rows, each on its own copy of the same register file,
# measured in the same run on the same machine (ratios, not absolute times).
#
#   benches/purge.sh [N]                       # N generated contacts, default 1000000
#   SHARED=/path/to/shared RUNS=3 BIN=target/release/rekisteri benches/purge.sh 1000000
#
# The data: $SHARED/tools/gen_contacts.py's contacts, imported as of 2026-11-23 with the
# built-in description (24 months for every category). The generator stamps everyone as
# added that day, so only customers who ended two years before would be due (about 9 %).
# One UPDATE after the import back-dates, for two of every three prospects and students
# (`id % 3 <> 0`, so the same people on every run), the day they were added to their
# relationship's start, as if they had been in the register since then: those whose dates
# all lie two years back come due too, 20-30 % of the register in all (printed).
#
# Compared, in turn (the order alternates), on three copies of that file:
#   rekisteri purge     the real run (batches, audit events, TRUNCATE checkpoint);
#   sqlite3 cascade     one `DELETE FROM contacts WHERE …` with foreign_keys=ON, whose
#                       ON DELETE actions remove the linked rows;
#   sqlite3 explicit    the same contacts' ids into a temp table, then one DELETE per linked
#                       table and for the contacts (foreign keys off, sqlite3's default):
#                       the fastest way found to do the same work with sqlite3.
# Both sqlite3 runs select with the purge's own rules (dates, and no newer history, course,
# purchase or consent, no live hold) and check-point as they close. Medians of $RUNS runs.
# Targets: purge <= 1.5x the bare deletion, peak memory <= 32 MiB. Each run checks that all
# three leave the same contacts, nothing pointing at an erased one, and (for the purge) an
# audit chain that verifies. Finally a rerun of the purge on its own result is timed
# (nothing is due: one scan).
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
# The rules' days as the purge computes them in the register's zone (Europe/Helsinki, UTC+2
# in November): 24 months back, the end of that day, the end of today.
CUTOFF=2024-11-23
CUTOFF_END=2024-11-23T22:00:00Z
TODAY=2026-11-23
TODAY_END=2026-11-23T22:00:00Z

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

# measure CMD...: runs CMD (stdin from $STDIN or /dev/null, stdout discarded), prints
# "wall-seconds max-rss-KiB" (RSS from GNU time when there is one, else from wait4).
cat >measure.py <<'EOF'
import os, shutil, subprocess, sys, tempfile, time
cmd = sys.argv[1:]
gnu_time = shutil.which("time", path="/usr/bin:/bin")
rss_file = None
if gnu_time:
    fd, rss_file = tempfile.mkstemp(dir=".")
    os.close(fd)
    cmd = [gnu_time, "-f", "%M", "-o", rss_file] + cmd
stdin = open(os.environ.get("STDIN", "/dev/null"), "rb")
start = time.perf_counter()
child = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL)
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
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
peak() { printf '%s\n' "$@" | sort -n | tail -1; }

echo "generating $N contacts and importing them ..." >&2
python3 "$GEN" "$N" >base.csv
"$BIN" --db base.db -q init
"$BIN" --db base.db -q contact import base.csv
rm -f base.csv
sqlite3 base.db "UPDATE contacts SET created_at = started || 'T09:00:00Z', updated_at = started || 'T09:00:00Z'
                 WHERE category <> 'customer' AND id % 3 <> 0 AND started IS NOT NULL"

# The purge's selection (src/store/retention.rs) for the built-in rules, as one WHERE.
WHERE="(c.category = 'customer' AND c.ended IS NOT NULL AND c.ended <= '$CUTOFF'
   OR c.category IN ('prospect', 'student')
      AND coalesce(c.started, '') <= '$CUTOFF' AND coalesce(c.ended, '') <= '$CUTOFF'
      AND coalesce(c.last_contact, '') <= '$CUTOFF' AND c.created_at < '$CUTOFF_END'
      AND NOT EXISTS (SELECT 1 FROM contact_log l WHERE l.contact_id = c.id AND l.date > '$CUTOFF')
      AND NOT EXISTS (SELECT 1 FROM courses k WHERE k.contact_id = c.id AND k.completed > '$CUTOFF')
      AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.contact_id = c.id AND p.date > '$CUTOFF')
      AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.contact_id = c.id AND e.occurred_at >= '$CUTOFF_END'))
  AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.contact_id = c.id AND h.placed_at < '$TODAY_END'
      AND (h.released_at IS NULL OR h.released_at >= '$TODAY_END') AND (h.until IS NULL OR h.until >= '$TODAY'))"
DUE=$(sqlite3 base.db "SELECT count(*) FROM contacts c WHERE $WHERE")
TOTAL=$(sqlite3 base.db "SELECT count(*) FROM contacts")
DUE_PCT=$(awk -v d="$DUE" -v t="$TOTAL" 'BEGIN { printf "%.1f", 100 * d / t }')
echo "$DUE of $TOTAL contacts are due ($DUE_PCT %)" >&2
awk -v p="$DUE_PCT" 'BEGIN { exit !(p >= 20 && p <= 30) }' ||
    echo "purge.sh: warning: $DUE_PCT % due, outside the 20-30 % the benchmark asks for" >&2

cat >cascade.sql <<EOF
PRAGMA secure_delete = ON;
PRAGMA foreign_keys = ON;
DELETE FROM contacts AS c WHERE $WHERE;
EOF
LINKED="contact_log courses purchases contact_tags holds consent_events"
{
    echo "PRAGMA secure_delete = ON;"
    echo "BEGIN;"
    echo "CREATE TEMP TABLE due (id INTEGER PRIMARY KEY);"
    echo "INSERT INTO due SELECT c.id FROM contacts c WHERE $WHERE;"
    for t in $LINKED; do
        echo "DELETE FROM $t WHERE contact_id IN (SELECT id FROM due);"
    done
    echo "UPDATE requests SET requester = NULL, details = NULL, subject_email = NULL, contact_id = NULL"
    echo "    WHERE contact_id IN (SELECT id FROM due);"
    echo "DELETE FROM contacts WHERE id IN (SELECT id FROM due);"
    echo "COMMIT;"
} >explicit.sql

declare -a OURS CASCADE EXPLICIT RSS_OURS RSS_CASCADE RSS_EXPLICIT
for run in $(seq 1 "$RUNS"); do
    rm -f ours.db* cascade.db* explicit.db*
    for who in ours cascade explicit; do cp base.db "$who.db"; done
    # Read the copies once untimed, so none meets a colder page cache.
    cat ours.db cascade.db explicit.db >/dev/null
    order="cascade explicit ours"
    ((run % 2)) || order="ours explicit cascade"
    for who in $order; do
        case $who in
            ours) res=$(measure "$BIN" --db ours.db -q purge)
                OURS+=("${res% *}") RSS_OURS+=("${res#* }") ;;
            cascade) res=$(STDIN=cascade.sql measure sqlite3 cascade.db)
                CASCADE+=("${res% *}") RSS_CASCADE+=("${res#* }") ;;
            explicit) res=$(STDIN=explicit.sql measure sqlite3 explicit.db)
                EXPLICIT+=("${res% *}") RSS_EXPLICIT+=("${res#* }") ;;
        esac
    done
    for who in ours cascade explicit; do
        left=$(sqlite3 "$who.db" "SELECT count(*) FROM contacts")
        dangling=$(sqlite3 "$who.db" "SELECT count(*) FROM pragma_foreign_key_check")
        [ "$left" -eq $((TOTAL - DUE)) ] && [ "$dangling" -eq 0 ] || {
            echo "purge.sh: $who left $left contacts (expected $((TOTAL - DUE))) and $dangling rows pointing at none" >&2
            exit 1
        }
    done
    "$BIN" --db ours.db -q audit verify >/dev/null || { echo "purge.sh: the audit chain does not verify after the purge" >&2; exit 1; }
    printf 'run %d: rekisteri purge %.2f s, sqlite3 cascade %.2f s, sqlite3 explicit %.2f s; max RSS %s / %s / %s KiB\n' \
        "$run" "${OURS[-1]}" "${CASCADE[-1]}" "${EXPLICIT[-1]}" "${RSS_OURS[-1]}" "${RSS_CASCADE[-1]}" "${RSS_EXPLICIT[-1]}"
done
rerun=$(measure "$BIN" --db ours.db -q purge)

o=$(median "${OURS[@]}") c=$(median "${CASCADE[@]}") e=$(median "${EXPLICIT[@]}")
po=$(mib "$(peak "${RSS_OURS[@]}")")
rc=$(ratio "$o" "$c") re=$(ratio "$o" "$e")
echo
echo "contacts: $TOTAL, due: $DUE ($DUE_PCT %); medians of $RUNS runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'rekisteri purge   %7.2f s   peak %6s MiB (target <= 32 MiB) %s\n' "$o" "$po" "$(verdict "$po" 32)"
printf 'sqlite3 cascade   %7.2f s   peak %6s MiB   purge/cascade  %s (target <= 1.50) %s\n' \
    "$c" "$(mib "$(peak "${RSS_CASCADE[@]}")")" "$rc" "$(verdict "$rc" 1.5)"
printf 'sqlite3 explicit  %7.2f s   peak %6s MiB   purge/explicit %s (target <= 1.50) %s\n' \
    "$e" "$(mib "$(peak "${RSS_EXPLICIT[@]}")")" "$re" "$(verdict "$re" 1.5)"
printf 'rerun (nothing due) %5.2f s   peak %6s MiB\n' "${rerun% *}" "$(mib "${rerun#* }")"
