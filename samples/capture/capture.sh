#!/usr/bin/env bash
# capture.sh SCENARIO OUTDIR
#
# Brings up PostgreSQL (private cluster in a temp dir), PgBouncer (transaction pooling),
# Django runserver (django-allauth login) and Locust, all from Debian packages and all on
# 127.0.0.1 only, runs the bounded Locust run(s) of scenarios/SCENARIO.sh, stops exactly the
# processes it started (by PID) and leaves the artifacts in OUTDIR in the user's layout:
#   OUTDIR/logs/{django_errors,auth_debug,locust_login_failures,runserver_8000.err}.log
#   OUTDIR/pgbouncer.log OUTDIR/locust.log OUTDIR/hasil_test_<name>_*.csv|.html
#   OUTDIR/SCENARIO.md (settings, zones, command lines, counts grepped from the files)
# See README.md for bounds. Exits non-zero (with the reason) on a missing package or busy port.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCENARIO="${1:?usage: capture.sh SCENARIO OUTDIR}"
OUT_ARG="${2:?usage: capture.sh SCENARIO OUTDIR}"
SCEN_FILE="$HERE/scenarios/$SCENARIO.sh"
if [[ $SCENARIO == */* && -f $SCENARIO ]]; then SCEN_FILE=$(realpath "$SCENARIO"); SCENARIO=$(basename "$SCENARIO" .sh); fi
[[ -f "$SCEN_FILE" ]] || { echo "capture: no scenario file $SCEN_FILE" >&2; exit 2; }

PG_PORT="${CAP_PG_PORT:-55432}"
PGB_PORT="${CAP_PGB_PORT:-56432}"
WEB_PORT="${CAP_WEB_PORT:-58000}"
PY=/usr/bin/python3          # Debian's interpreter, whatever python3 is on PATH
LOCUST=/usr/bin/locust
PACKAGES=(postgresql pgbouncer python3-django python3-django-allauth python3-psycopg2 python3-locust)
DB_PASSWORD="rabapp-test"    # test-only password of the throwaway cluster
USER_PASSWORD="Tester#2026"  # test-only password of the generated Django users

log() { printf '[capture %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages, drops to user postgres for PostgreSQL/PgBouncer)"

# ---------------------------------------------------------------- packages
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  for p in "${missing[@]}"; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]' || die "package not available from apt: $p"
  done
  apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install failed for: ${missing[*]}"
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PGBIN/initdb" && -x "$PGBIN/postgres" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
command -v pgbouncer >/dev/null || die "pgbouncer binary missing"
[[ -x $LOCUST ]] || die "$LOCUST missing (python3-locust)"
id postgres >/dev/null 2>&1 || die "system user 'postgres' missing (postgresql package)"
[[ -e /usr/share/zoneinfo/Asia/Jakarta ]] || die "tzdata zone Asia/Jakarta missing (apt-get install tzdata)"

# ---------------------------------------------------------------- ports
port_busy() { "$PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}
for p in "$PG_PORT" "$PGB_PORT" "$WEB_PORT"; do
  if port_busy "$p"; then die "port 127.0.0.1:$p is already in use (set CAP_PG_PORT/CAP_PGB_PORT/CAP_WEB_PORT)"; fi
done

# ---------------------------------------------------------------- process bookkeeping
STARTED=()   # "pid:name:signal", in start order
WORK=$(mktemp -d /tmp/logcorr-capture.XXXXXX)
cleanup() {
  local rc=$?
  local i entry pid name sig
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    entry=${STARTED[$i]}; pid=${entry%%:*}; name=${entry#*:}; sig=${name#*:}; name=${name%%:*}
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $name (pid $pid, SIG$sig)"
      kill -s "$sig" "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then log "$name (pid $pid) still alive, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
      wait "$pid" 2>/dev/null || true
    fi
  done
  STARTED=()
  if [[ -n "${CAP_KEEP_WORK:-}" ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started() { STARTED+=("$1:$2:$3"); log "started $2 (pid $1)"; }
forget() {  # a started process that has exited by itself
  local keep=() e
  for e in "${STARTED[@]}"; do [[ ${e%%:*} == "$1" ]] || keep+=("$e"); done
  STARTED=("${keep[@]}")
}
pool_summary() {  # TEST_USER_POOL without passwords: ' TEST_USER_POOL=<N entries: a:***, b:***, ...>'
  [[ -n $1 ]] || return 0
  local n; n=$(tr ',' '\n' <<<"$1" | grep -c .)
  printf ' TEST_USER_POOL=<%s entries: %s>' "$n" "$(tr ',' '\n' <<<"$1" | sed -E 's/:.*/:***/' | head -4 | paste -sd, | sed 's/,/, /g')$( ((n > 4)) && echo ', ...')"
}
# stop one started process now (same logic as cleanup, for the orderly end of a run)
stop_proc() {
  local want=$1 i entry pid name sig keep=()
  for entry in "${STARTED[@]}"; do
    pid=${entry%%:*}; name=${entry#*:}; sig=${name#*:}; name=${name%%:*}
    if [[ $name == "$want" ]]; then
      if kill -0 "$pid" 2>/dev/null; then
        log "stopping $name (pid $pid, SIG$sig)"
        kill -s "$sig" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
      fi
    else
      keep+=("$entry")
    fi
  done
  STARTED=("${keep[@]}")
}
wait_port() {  # wait_port PORT SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
# a plain command (not a function) when backgrounded, so that $! is the server's own PID
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }

mkdir -p "$OUT_ARG"
OUT=$(cd "$OUT_ARG" && pwd)
mkdir -p "$OUT/logs"
chmod 755 "$WORK"
mkdir -p "$WORK/pgdata" "$WORK/sock" "$WORK/setup-logs"
chown postgres:postgres "$WORK/pgdata" "$WORK/sock"
cd "$WORK"

# ---------------------------------------------------------------- scenario defaults, then the file
PGB_POOL_SIZE=20; PGB_RESERVE_POOL_SIZE=5; PGB_RESERVE_POOL_TIMEOUT=5; PGB_QUERY_WAIT_TIMEOUT=60
export CAP_DEBUG=0 CAP_LANGUAGE_CODE=en CAP_LOGIN_ATTEMPTS_LIMIT=5 CAP_LOGIN_ATTEMPTS_TIMEOUT=300
export CAP_SLEEP_DASHBOARD=0 CAP_SLEEP_REKAP=0.05 CAP_SLEEP_VALIDATE=0.05 CAP_SLEEP_PRICING=0.02
export CAP_SLEEP_EXPORT_DB=0.1 CAP_EXPORT_RENDER=0.5:1.5
N_USERS=60
DESCRIPTION=""; DIAGNOSIS=""
# shellcheck source=/dev/null
source "$SCEN_FILE"
declare -F scenario_runs >/dev/null || die "$SCEN_FILE defines no scenario_runs function"

# ---------------------------------------------------------------- PostgreSQL (UTC)
STACK_START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "initdb ($PGBIN)"
as_postgres env TZ=UTC "$PGBIN/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
setpriv --reuid=postgres --regid=postgres --init-groups -- env TZ=UTC "$PGBIN/postgres" -D "$WORK/pgdata" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$WORK/sock" -c timezone=UTC -c log_timezone=UTC -c max_connections=100 \
  -c fsync=off >"$WORK/postgresql.log" 2>&1 &
started $! postgres INT
wait_port "$PG_PORT" 30 || { cat "$WORK/postgresql.log" >&2; die "PostgreSQL did not open 127.0.0.1:$PG_PORT"; }
for _ in $(seq 1 50); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE ROLE rabapp LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE rabdb OWNER rabapp" \
  || die "could not create role/database"

# ---------------------------------------------------------------- Django schema + users (direct to PostgreSQL)
export PYTHONDONTWRITEBYTECODE=1 CAP_DB_PASSWORD="$DB_PASSWORD"
(
  cd "$HERE/app"
  export CAP_DB_PORT="$PG_PORT" CAP_LOG_DIR="$WORK/setup-logs"
  "$PY" manage.py migrate -v0 >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
  "$PY" manage.py shell -c "
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.sites.models import Site
Site.objects.update_or_create(id=1, defaults={'domain': '127.0.0.1:$WEB_PORT', 'name': 'capture'})
h = make_password('$USER_PASSWORD')
names = ['loadtest'] + ['tester%03d' % i for i in range(1, $N_USERS + 1)]
User.objects.bulk_create([User(username=n, email=n + '@example.invalid', password=h) for n in names])
print(len(names), 'users')
" >"$WORK/users.log" 2>&1 || { cat "$WORK/users.log" >&2; exit 1; }
) || die "Django migrate/user creation failed"

# ---------------------------------------------------------------- PgBouncer (Asia/Jakarta -> prints WIB)
md5=$(printf '%s' "${DB_PASSWORD}rabapp" | md5sum | cut -d' ' -f1)
printf '"rabapp" "md5%s"\n' "$md5" >"$WORK/userlist.txt"
sed -e "s|@PG_PORT@|$PG_PORT|; s|@PGB_PORT@|$PGB_PORT|; s|@SOCK_DIR@|$WORK/sock|; s|@WORK@|$WORK|" \
    -e "s|@PGB_POOL_SIZE@|$PGB_POOL_SIZE|; s|@PGB_RESERVE_POOL_SIZE@|$PGB_RESERVE_POOL_SIZE|" \
    -e "s|@PGB_RESERVE_POOL_TIMEOUT@|$PGB_RESERVE_POOL_TIMEOUT|; s|@PGB_QUERY_WAIT_TIMEOUT@|$PGB_QUERY_WAIT_TIMEOUT|" \
    "$HERE/pgbouncer.ini.tmpl" >"$WORK/pgbouncer.ini"
chown postgres:postgres "$WORK/pgbouncer.ini" "$WORK/userlist.txt"
setpriv --reuid=postgres --regid=postgres --init-groups -- env TZ=Asia/Jakarta pgbouncer "$WORK/pgbouncer.ini" 2>>"$OUT/pgbouncer.log" >/dev/null &
started $! pgbouncer TERM
wait_port "$PGB_PORT" 20 || die "PgBouncer did not open 127.0.0.1:$PGB_PORT (see $OUT/pgbouncer.log)"

PGB_PID=$!
CONFIG_CHANGES=()
# pgbouncer_set KEY=VALUE... : change pgbouncer.ini and SIGHUP PgBouncer (online reload, as a user
# tuning the pool between runs would); logged in pgbouncer.log and listed in SCENARIO.md.
pgbouncer_set() {
  local kv
  for kv in "$@"; do
    sed -i "s|^${kv%%=*} = .*|${kv%%=*} = ${kv#*=}|" "$WORK/pgbouncer.ini"
  done
  kill -HUP "$PGB_PID"
  CONFIG_CHANGES+=("$(TZ=Asia/Jakarta date '+%Y-%m-%d %H:%M:%S') WIB: PgBouncer reloaded (SIGHUP) with $*")
  log "pgbouncer reloaded with $*"
  sleep 2
}

# ---------------------------------------------------------------- Django runserver (TIME_ZONE Asia/Jakarta)
(
  cd "$HERE/app"
  export CAP_DB_PORT="$PGB_PORT" CAP_LOG_DIR="$OUT/logs"
  exec "$PY" manage.py runserver "127.0.0.1:$WEB_PORT" --noreload >>"$WORK/runserver.out" 2>>"$OUT/logs/runserver_8000.err.log"
) &
started $! runserver TERM
wait_port "$WEB_PORT" 30 || { tail -20 "$OUT/logs/runserver_8000.err.log" >&2; die "runserver did not open 127.0.0.1:$WEB_PORT"; }

# ---------------------------------------------------------------- Locust runs
RUN_LINES=()
RUN_WINDOWS=()   # "name|start WIB|end WIB" (end = Locust process exit)
# locust_run NAME USERS SPAWN_RATE RUN_TIME [TEST_USER_POOL] [html=yes|no]
locust_run() {
  local name=$1 users=$2 rate=$3 runtime=$4 pool=${5-} html=${6:-yes}
  local secs=${runtime%s}
  local args=(-f locustfile.py --headless -u "$users" -r "$rate" -t "$runtime" --host="http://127.0.0.1:$WEB_PORT"
              --csv="hasil_test_$name")
  [[ $html == yes ]] && args+=(--html="hasil_test_$name.html")
  local shown="locust ${args[*]}"
  RUN_LINES+=("$(date -u +%Y-%m-%dT%H:%M:%SZ) TZ=Asia/Jakarta${LOCUST_RELOGIN_WEIGHT:+ LOCUST_RELOGIN_WEIGHT=$LOCUST_RELOGIN_WEIGHT}$(pool_summary "$pool") $shown")
  log "locust run $name: -u $users -r $rate -t $runtime"
  args[1]="$HERE/locustfile.py"
  (
    cd "$OUT"
    if [[ -n $pool ]]; then export TEST_USER_POOL="$pool"; else unset TEST_USER_POOL; fi
    export TZ=Asia/Jakarta LOCUST_LOG_DIR=logs
    exec timeout -s INT $((secs + 60)) "$LOCUST" "${args[@]}" >>"$OUT/locust.log" 2>&1
  ) &
  local lpid=$!
  local wstart; wstart=$(TZ=Asia/Jakarta date '+%Y-%m-%d %H:%M:%S')
  started $lpid locust INT
  local rc=0
  wait "$lpid" || rc=$?
  forget "$lpid"
  RUN_WINDOWS+=("$name|$wstart|$(TZ=Asia/Jakarta date '+%Y-%m-%d %H:%M:%S')")
  log "locust run $name exited $rc (1 = some requests failed)"
  [[ $rc -le 1 ]] || die "locust run $name failed (exit $rc), see $OUT/locust.log"
}
LOAD_START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
scenario_runs
LOAD_END=$(date -u +%Y-%m-%dT%H:%M:%SZ)

sleep 1
stop_proc runserver
stop_proc pgbouncer
stop_proc postgres
STACK_END=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ---------------------------------------------------------------- SCENARIO.md
{
  echo "# Scenario: $SCENARIO"
  echo
  echo "Captured by \`samples/capture/capture.sh $SCENARIO\` (regenerate all: \`make samples\`)."
  echo "Stack (Debian package versions):"
  for p in postgresql pgbouncer python3-django python3-django-allauth python3-psycopg2 python3-locust python3; do
    printf '%s %s; ' "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null)"
  done
  echo "PostgreSQL server $("$PGBIN/postgres" --version | awk '{print $3}')."
  echo
  echo "## What happened"
  echo
  echo "$DESCRIPTION"
  echo
  echo "## What a correct diagnosis finds"
  echo
  echo "$DIAGNOSIS"
  echo
  echo "## Settings"
  echo
  echo "| component | setting |"
  echo "| --- | --- |"
  echo "| PostgreSQL | 127.0.0.1:$PG_PORT, max_connections=100, TZ=UTC (its log is not part of the artifacts) |"
  echo "| PgBouncer | 127.0.0.1:$PGB_PORT, pool_mode=transaction, default_pool_size=$PGB_POOL_SIZE, reserve_pool_size=$PGB_RESERVE_POOL_SIZE, reserve_pool_timeout=$PGB_RESERVE_POOL_TIMEOUT, query_wait_timeout=$PGB_QUERY_WAIT_TIMEOUT, max_client_conn=500, stats_period=10, log_connections=1, log_disconnections=1, log_pooler_errors=1; stderr appended to \`pgbouncer.log\` |"
  echo "| Django | \`manage.py runserver 127.0.0.1:$WEB_PORT --noreload\` (stderr appended to \`logs/runserver_8000.err.log\`; the file keeps the user's name although the port is $WEB_PORT), DEBUG=$CAP_DEBUG, LANGUAGE_CODE=$CAP_LANGUAGE_CODE, TIME_ZONE=Asia/Jakarta, USE_TZ=True, CONN_MAX_AGE=0, DISABLE_SERVER_SIDE_CURSORS=True, psycopg2 wait callback \`extras.wait_select\`, DB sessions |"
  echo "| allauth | ACCOUNT_LOGIN_ATTEMPTS_LIMIT=$CAP_LOGIN_ATTEMPTS_LIMIT, ACCOUNT_LOGIN_ATTEMPTS_TIMEOUT=$CAP_LOGIN_ATTEMPTS_TIMEOUT (LocMem cache), authentication by username |"
  echo "| endpoints (pg_sleep s) | dashboard=$CAP_SLEEP_DASHBOARD, rekap-kebutuhan=$CAP_SLEEP_REKAP (also tahapan/unassigned), validate=$CAP_SLEEP_VALIDATE, pricing=$CAP_SLEEP_PRICING, export db=$CAP_SLEEP_EXPORT_DB + render sleep $CAP_EXPORT_RENDER s without a DB connection |"
  for c in "${CONFIG_CHANGES[@]}"; do echo "| change | $c |"; done
  echo "| users | loadtest + tester001..tester$(printf %03d "$N_USERS"), password \`$USER_PASSWORD\` (test-only) |"
  echo
  echo "## Time zones"
  echo
  echo "| process | zone | how it shows in the artifacts |"
  echo "| --- | --- | --- |"
  echo "| Django / runserver | Asia/Jakarta (UTC+7, from TIME_ZONE) | \`logs/*.log\` asctime \`YYYY-mm-dd HH:MM:SS,mmm\` naive; request lines \`[dd/Mon/YYYY HH:MM:SS]\` naive |"
  echo "| PgBouncer | TZ=Asia/Jakarta | \`YYYY-mm-dd HH:MM:SS.mmm WIB [pid] ...\` |"
  echo "| Locust | TZ=Asia/Jakarta | \`locust.log\` \`[YYYY-mm-dd HH:MM:SS,mmm] host/LEVEL/logger:\`; \`logs/locust_login_failures.log\` asctime and isoformat, both naive WIB; CSV \`Timestamp\` Unix seconds; HTML start/end ISO UTC |"
  echo "| PostgreSQL | UTC | (log not collected) |"
  echo
  echo "Wall clock (UTC): stack start $STACK_START, load start $LOAD_START, load end $LOAD_END, stack end $STACK_END."
  echo
  echo "## Locust command line(s)"
  echo
  echo "Run from the scenario folder (so \`logs/\` and the CSVs land there), stdout+stderr appended to \`locust.log\`."
  echo "TEST_USER_POOL is shown without passwords (its entry count and first names)."
  echo
  echo '```'
  for l in "${RUN_LINES[@]}"; do echo "$l"; done
  echo '```'
  echo
  echo "## Run windows (WIB, naive like the logs)"
  echo
  echo "End = when the Locust process exited. Requests still queued then finish on the server"
  echo "afterwards (often as 500s once they time out in PgBouncer): they are in the server logs but in no"
  echo "Locust CSV. 'after' counts up to the next run's start (or the end of the file)."
  echo
  echo "| run | start | end | django_errors records in / after | PgBouncer pooler errors in / after | login POST 500 (runserver) in / after |"
  echo "| --- | --- | --- | --- | --- | --- |"
  local_n=${#RUN_WINDOWS[@]}
  for ((i = 0; i < local_n; i++)); do
    IFS='|' read -r rn rs re <<<"${RUN_WINDOWS[$i]}"
    nx="9999"; if ((i + 1 < local_n)); then IFS='|' read -r _ nx _ <<<"${RUN_WINDOWS[$((i + 1))]}"; fi
    win() {  # win FILE REGEX TIMEFORMAT(dj|pgb|rs) FROM TO
      awk -v f="$4" -v t="$5" -v kind="$3" -v re="$2" '
        $0 ~ re {
          if (kind == "rs") { split(substr($0, 2, 20), a, /[\/ :]/); m = index("JanFebMarAprMayJunJulAugSepOctNovDec", a[2]); ts = sprintf("%s-%02d-%s %s:%s:%s", a[3], (m + 2) / 3, a[1], a[4], a[5], a[6]) }
          else ts = substr($0, 1, 19)
          if (ts >= f && ts < t) n++
        } END { print n + 0 }' "$1"
    }
    printf '| %s | %s | %s | %s / %s | %s / %s | %s / %s |\n' "$rn" "$rs" "$re" \
      "$(win "$OUT/logs/django_errors.log" '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:,]* ERROR ' dj "$rs" "$re")" \
      "$(win "$OUT/logs/django_errors.log" '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:,]* ERROR ' dj "$re" "$nx")" \
      "$(win "$OUT/pgbouncer.log" 'pooler error' pgb "$rs" "$re")" \
      "$(win "$OUT/pgbouncer.log" 'pooler error' pgb "$re" "$nx")" \
      "$(win "$OUT/logs/runserver_8000.err.log" '"POST /accounts/login/ HTTP/1.1" 500' rs "$rs" "$re")" \
      "$(win "$OUT/logs/runserver_8000.err.log" '"POST /accounts/login/ HTTP/1.1" 500' rs "$re" "$nx")"
  done
  echo
  echo "## Counts (grepped from the captured files by counts.sh)"
  echo
  bash "$HERE/counts.sh" "$OUT"
} >"$OUT/SCENARIO.md"

# ---------------------------------------------------------------- did the scenario happen?
# Captures depend on machine load; a scenario may define scenario_check to reject a run that
# did not show what it is for (run-all.sh then retries). Exit 5 = ran fine, expectation not met.
if declare -F scenario_check >/dev/null; then
  if ! (cd "$OUT" && scenario_check); then
    log "scenario $SCENARIO did not show its expected symptom (scenario_check failed); artifacts in $OUT"
    exit 5
  fi
fi
log "done: $OUT"
