# healthy: adequate pool, quick endpoints, valid passwords: zero failures expected.
PGB_POOL_SIZE=20; PGB_RESERVE_POOL_SIZE=5; PGB_RESERVE_POOL_TIMEOUT=5; PGB_QUERY_WAIT_TIMEOUT=60
CAP_SLEEP_REKAP=0.05; CAP_SLEEP_VALIDATE=0.05; CAP_SLEEP_PRICING=0.02; CAP_SLEEP_DASHBOARD=0
CAP_SLEEP_EXPORT_DB=0.1; CAP_EXPORT_RENDER=0.5:1.5
N_USERS=20
DESCRIPTION="Baseline: default_pool_size=20, query_wait_timeout=60 s, endpoints of 0-0.1 s, 20
Locust users with valid passwords for 40 s. Nothing fails."
DIAGNOSIS="No failure: Locust failures = 0, no 5xx in runserver stderr, empty
\`logs/django_errors.log\`, no \`pooler error\` in \`pgbouncer.log\`, only the pool announcement in
\`logs/locust_login_failures.log\`. A correct analyzer reports no critical finding (at most
informational ones, e.g. response-time summaries)."
scenario_runs() {
  local pool; pool=$(for i in $(seq 1 20); do printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"; done)
  locust_run healthy 20 5 40s "${pool%,}"
}
scenario_check() {
  local f; f=$(awk -F, '$2=="Aggregated"{print $4}' hasil_test_healthy_stats.csv)
  echo "check: $f Locust failures (want 0)" >&2
  [[ $f == 0 ]] && ! grep -q 'pooler error' pgbouncer.log
}
