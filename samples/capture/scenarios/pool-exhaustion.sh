# pool-exhaustion: tiny PgBouncer transaction pool + short query_wait_timeout, slow pg_sleep
# endpoints. Sourced by capture.sh.
PGB_POOL_SIZE=2; PGB_RESERVE_POOL_SIZE=0; PGB_RESERVE_POOL_TIMEOUT=3; PGB_QUERY_WAIT_TIMEOUT=4
CAP_SLEEP_REKAP=4.0; CAP_SLEEP_VALIDATE=1.5; CAP_SLEEP_PRICING=1.5; CAP_SLEEP_DASHBOARD=0.5
CAP_SLEEP_EXPORT_DB=0.1; CAP_EXPORT_RENDER=0.5:1.5
N_USERS=35
# WebsiteUser logs out and in again 4x as often as by default, so logins happen while the pool is
# saturated (the user's symptom is login 500s), not only during the first seconds of the ramp
export LOCUST_RELOGIN_WEIGHT=4
DESCRIPTION="PgBouncer's pool for rabdb/rabapp has 2 server connections (no reserve) and
query_wait_timeout=4 s, while rekap-kebutuhan holds a connection for 4 s (pg_sleep), pricing and
validate 1.5 s, dashboard 0.5 s. 35 Locust users (all with valid passwords) queue behind them:
clients that wait more than 4 s for a server connection are dropped by PgBouncer
(\`pooler error: query_wait_timeout\`), psycopg2 raises
\`OperationalError: FATAL:  query_wait_timeout\`, and Django answers 500 — on API pages, on
\`/dashboard/\` and on \`POST /accounts/login/\` (the session/user queries of the login itself)."
DIAGNOSIS="Root cause: PgBouncer pool exhaustion (finding \`pgbouncer-pool-exhausted\`): the login
500s (\`[AUTH] Login POST\` \`CatchResponseError('login server error: 500')\`, \`login_server_error\`
lines, \`auth_failure status=500\`) are not an authentication problem; each one lines up in time
(WIB, same clock in all files) with a PgBouncer \`pooler error: query_wait_timeout\` and a
\`django.db.utils.OperationalError: FATAL:  query_wait_timeout\` traceback in
\`logs/django_errors.log\` and \`logs/runserver_8000.err.log\`. Fix direction: larger
default_pool_size / shorter transactions (the pg_sleep endpoints), not the login code.
Side effects of the same overload, also real and worth recognising as secondary: some login POSTs
get \`400\` (Django's \`Bad Request (400)\`, session save interrupted) or \`403\` (CSRF) and show
up as \`login_unexpected_status\`; \`[AUTH] Logout\` and every API name fail with \`HTTP 500\`."
scenario_runs() {
  local pool; pool=$(for i in $(seq 1 35); do printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"; done)
  locust_run pool_exhaustion 35 10 30s "${pool%,}"
}
scenario_check() {  # the sample must show the pool errors and login 500s it is for
  local qwt login500
  qwt=$(grep -c 'pooler error: query_wait_timeout' pgbouncer.log)
  login500=$(grep -c '"POST /accounts/login/ HTTP/1.1" 500' logs/runserver_8000.err.log)
  local kb; kb=$(du -sk . | cut -f1)
  echo "check: $qwt pooler errors (want >= 20), $login500 login POST 500s (want >= 5), ${kb} kB (want <= 1700)" >&2
  ((qwt >= 20 && login500 >= 5 && kb <= 1700))
}
