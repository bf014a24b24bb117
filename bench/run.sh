#!/usr/bin/env bash
# bench/run.sh DIR — time logcorr against ripgrep, lnav and pgBadger on the same files,
# side by side in one run, with peak RSS.
#
#   go run ./bench/gen -out /tmp/bench/100MB -size 100MB
#   bash bench/run.sh /tmp/bench/100MB
#
# Each repetition runs every command once, in turn (so a slower or busier machine moves
# all of them alike); the table shows medians. Times and peak RSS are GNU time's
# (/usr/bin/time), which reads the kernel's accounting of the finished process tree.
# Environment: RUNS (repetitions, default 3), TIMEOUT (seconds per command, default 900),
# LOGCORR (a logcorr binary; default: built from this checkout), ONLY (space-separated
# command names to run, default all), WORK (scratch folder), MEMLIMIT_MB (a bound on each
# command's virtual memory, ulimit -v, as a CI runner's memory would be; default none),
# ANALYZE_TZ (also time `analyze --tz ZONE`: the whole pipeline with no clock inference).
# Needs: apt-get install -y lnav ripgrep pgbadger time
set -euo pipefail

DIR=${1:?usage: bench/run.sh DIR}
DIR=$(cd "$DIR" && pwd)
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-900}
WORK=${WORK:-$(mktemp -d /tmp/logcorr-bench.XXXXXX)}
mkdir -p "$WORK"
for tool in rg lnav pgbadger /usr/bin/time timeout; do
	command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install -y lnav ripgrep pgbadger time)" >&2; exit 2; }
done
if [[ -z ${LOGCORR:-} ]]; then
	LOGCORR=$WORK/logcorr
	go build -o "$LOGCORR" ./cmd/logcorr
fi

mapfile -t LOGS < <(find "$DIR" -name '*.log' -type f | sort)
PGB=$DIR/pgbouncer.log
[[ -f $PGB ]] || { echo "bench: $PGB not found" >&2; exit 2; }
logbytes=$(cat "${LOGS[@]}" | wc -c)
allbytes=$(du -sb "$DIR" | cut -f1)
# lnav keeps its state under $HOME; give it a scratch one.
mkdir -p "$WORK/lnav-home"

# The timestamp shapes the formats start with: Python logging / PgBouncer / ISO,
# Locust's console "[...]", runserver's "[29/Nov/2026 20:46:02]".
PREFIX='^(\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}|\[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\])'

names=(analyze parse parse-pgbouncer rg-literal rg-prefix lnav pgbadger)
[[ -n ${ANALYZE_TZ:-} ]] && names=(analyze analyze-tz "${names[@]:1}")
declare -A what
what[analyze]="logcorr analyze --format json DIR"
what[analyze-tz]="logcorr analyze --format json --tz ${ANALYZE_TZ:-} DIR"
what[parse]="logcorr parse --json DIR"
what[parse-pgbouncer]="logcorr parse --json pgbouncer.log"
what[rg-literal]="rg -c ERROR (logs)"
what[rg-prefix]="rg -c timestamp-prefix regex (logs)"
what[lnav]="lnav -n -c ';SELECT count(*) FROM all_logs' (logs)"
what[pgbadger]="pgbadger -f pgbouncer3 pgbouncer.log"

# cmd NAME: the command line of NAME, in CMD.
cmd() {
	case $1 in
	analyze) CMD=("$LOGCORR" analyze --format json "$DIR") ;;
	analyze-tz) CMD=("$LOGCORR" analyze --format json --tz "$ANALYZE_TZ" "$DIR") ;;
	parse) CMD=("$LOGCORR" parse --json "$DIR") ;;
	parse-pgbouncer) CMD=("$LOGCORR" parse --json "$PGB") ;;
	rg-literal) CMD=(rg -c ERROR "${LOGS[@]}") ;;
	rg-prefix) CMD=(rg -c "$PREFIX" "${LOGS[@]}") ;;
	lnav) CMD=(env HOME="$WORK/lnav-home" lnav -n -c ';SELECT count(*) FROM all_logs' "${LOGS[@]}") ;;
	pgbadger) CMD=(pgbadger --quiet -f pgbouncer3 -x text -o "$WORK/pgbadger.txt" "$PGB") ;;
	esac
}

# one NAME: appends "wall user sys maxrss_kb exit" to $WORK/NAME.tsv, or "timeout ..." when the
# bound killed it.
one() {
	local n=$1
	cmd "$n"
	(
		[[ -z ${MEMLIMIT_MB:-} ]] || ulimit -v $((MEMLIMIT_MB * 1024))
		exec /usr/bin/time -f '%e %U %S %M %x' -o "$WORK/$n.time" timeout -s KILL "$TIMEOUT" "${CMD[@]}"
	) >"$WORK/$n.out" 2>"$WORK/$n.err" || true
	if grep -q 'terminated by signal' "$WORK/$n.time"; then
		echo "timeout $(tail -1 "$WORK/$n.time")" >>"$WORK/$n.tsv"
	else
		tail -1 "$WORK/$n.time" >>"$WORK/$n.tsv"
	fi
}

only=${ONLY:-${names[*]}}
for n in "${names[@]}"; do rm -f "$WORK/$n.tsv"; done
for ((r = 1; r <= RUNS; r++)); do
	for n in "${names[@]}"; do
		[[ " $only " == *" $n "* ]] || continue
		one "$n"
	done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
stat_of() { # NAME FIELD(wall|cpu|rss)
	local f=$WORK/$1.tsv
	[[ -f $f ]] || { echo -; return; }
	case $2 in
	wall) grep -v '^timeout' "$f" | awk '{print $1}' | median ;;
	cpu) grep -v '^timeout' "$f" | awk '{print $2+$3}' | median ;;
	rss) grep -v '^timeout' "$f" | awk '{print $4/1024}' | median ;;
	esac
}
notes_of() {
	local f=$WORK/$1.tsv
	[[ -f $f ]] || { echo "not run"; return; }
	local t k codes
	t=$(grep -c '^timeout' "$f" || true)
	k=$(grep -v '^timeout' "$f" | awk '$5==137' | wc -l)
	codes=$(grep -v '^timeout' "$f" | awk '{print $5}' | sort -u | paste -sd, -)
	local s="exit ${codes:--}"
	((t > 0)) && s="$s; $t of $RUNS killed at the ${TIMEOUT}s bound"
	((k > 0)) && s="$s; $k killed (SIGKILL: out of memory?)"
	if grep -q 'out of memory' "$WORK/$1.err" 2>/dev/null; then s="$s; ran out of memory"; fi
	echo "$s"
}

lnav_wall=$(stat_of lnav wall)
pgb_wall=$(stat_of pgbadger wall)
echo "## $(basename "$DIR"): $((allbytes / 1000000)) MB in the folder, $((logbytes / 1000000)) MB of logs in ${#LOGS[@]} files, pgbouncer.log $(($(wc -c <"$PGB") / 1000000)) MB"
echo
echo "Machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at the end $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs each, median; bound ${TIMEOUT}s${MEMLIMIT_MB:+ and ${MEMLIMIT_MB} MB of virtual memory} per command."
echo
echo "| command | wall s | CPU s | peak RSS MB | wall ÷ lnav | CPU ÷ lnav | wall ÷ pgBadger | CPU ÷ pgBadger | notes |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|---|"
ratio() { if [[ $1 == - || $2 == - ]]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "-" }'; fi; }
lnav_cpu=$(stat_of lnav cpu)
pgb_cpu=$(stat_of pgbadger cpu)
for n in "${names[@]}"; do
	w=$(stat_of "$n" wall)
	c=$(stat_of "$n" cpu)
	rpw=- rpc=-
	if [[ $n == parse-pgbouncer || $n == pgbadger ]]; then
		rpw=$(ratio "$w" "$pgb_wall") rpc=$(ratio "$c" "$pgb_cpu")
	fi
	rss=$(stat_of "$n" rss)
	[[ $rss == - ]] || rss=$(printf '%.0f' "$rss")
	notes=$(notes_of "$n")
	rlw=$(ratio "$w" "$lnav_wall") rlc=$(ratio "$c" "$lnav_cpu")
	if [[ $notes == *killed* || $notes == *"out of memory"* ]]; then
		rlw=- rlc=- rpw=- rpc=- # a run that did not finish has no ratio
	fi
	printf '| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${what[$n]}" "$w" "$c" "$rss" \
		"$rlw" "$rlc" "$rpw" "$rpc" "$notes"
done
echo
# What the yardsticks really did: a tool that read nothing would look fast.
echo "Checks (last run):"
[[ -s $WORK/lnav.out ]] && echo "- lnav all_logs rows: $(tail -1 "$WORK/lnav.out" | tr -d ' ') (of $(cat "${LOGS[@]}" | wc -l) lines: lnav folds multi-line records and hides a file whose first lines equal another's)"
[[ -s $WORK/pgbadger.txt ]] && echo "- pgBadger: $(grep -m1 '^Parsed' "$WORK/pgbadger.txt") of $(wc -l <"$PGB") lines; $(grep -m1 'pooler error' "$WORK/pgbadger.txt" | sed 's/^ *//')"
[[ -s $WORK/rg-prefix.out ]] && echo "- rg timestamp-prefix lines: $(awk -F: '{s+=$NF} END {print s}' "$WORK/rg-prefix.out")"
[[ -s $WORK/parse.out ]] && command -v python3 >/dev/null && python3 - "$WORK/parse.out" <<'EOF' || true
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"- logcorr parse: output not JSON ({e})"); sys.exit()
srcs = d.get("files") or d.get("sources") or []
lines = sum(s.get("lines", 0) for s in srcs)
recs = sum(s.get("records", 0) for s in srcs)
print(f"- logcorr parse: {len(srcs)} files, {lines} lines, {recs} records")
EOF
echo "Raw figures: $WORK/*.tsv (wall user sys maxrss_kb exit)"
