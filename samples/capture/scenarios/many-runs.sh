# many-runs: one logs/ folder appended to by three consecutive Locust runs, like a user's repo root.
# The user tuned the pool between runs; here PgBouncer is reloaded with a smaller pool before run3.
PGB_POOL_SIZE=10; PGB_RESERVE_POOL_SIZE=0; PGB_RESERVE_POOL_TIMEOUT=3; PGB_QUERY_WAIT_TIMEOUT=5
CAP_SLEEP_REKAP=2.0; CAP_SLEEP_VALIDATE=0.5; CAP_SLEEP_PRICING=0.5; CAP_SLEEP_DASHBOARD=0.1
N_USERS=40
DESCRIPTION="One stack and three consecutive Locust runs with different --csv prefixes, all
appending to the same \`logs/\`, \`pgbouncer.log\` and \`locust.log\` (gaps of a few seconds between
runs), rekap-kebutuhan holding a DB connection 2 s, validate/pricing 0.5 s:
run1 = 10 users without TEST_USER_POOL (single user \`loadtest\`), run2 = 20 users with a
20-entry pool, both on default_pool_size=10; then PgBouncer is reloaded (SIGHUP, visible in
\`pgbouncer.log\`) with default_pool_size=2 and run3 = 40 users with a 40-entry pool.
Only run3 writes an HTML report: three Locust 2.12 HTML files (~750 kB each) would push the
folder past 2 MB."
DIAGNOSIS="An analyzer must split the appended logs by run, using each run's time window
(\`_stats_history.csv\` Unix timestamps, UTC) against the naive WIB (UTC+7) log clocks. run1 and
run2 are clean; run3 exhausts the reduced pool and hits \`query_wait_timeout\` (PgBouncer pooler
errors, 500s, tracebacks): the run-window table below shows which errors fall in which run (and
which only after run3's Locust had stopped). A correct analyzer attributes the pool exhaustion
(\`pgbouncer-pool-exhausted\`) to run3 only and reports run1/run2 as clean. Log lines
\`single_user_pool active\` (run1) and \`Multi-user pool configured\` (run2, run3) mark run starts
in \`logs/locust_login_failures.log\`."
scenario_runs() {
  local pool2 pool3
  pool2=$(for i in $(seq 1 20); do printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"; done)
  pool3=$(for i in $(seq 1 40); do printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"; done)
  locust_run run1 10 5 25s "" no
  sleep 5
  locust_run run2 20 5 25s "${pool2%,}" no
  sleep 3
  pgbouncer_set default_pool_size=2
  locust_run run3 40 8 30s "${pool3%,}" yes
}
scenario_check() {  # run1/run2 clean, run3 with pool errors
  local f1 f2 q
  f1=$(awk -F, '$2=="Aggregated"{print $4}' hasil_test_run1_stats.csv)
  f2=$(awk -F, '$2=="Aggregated"{print $4}' hasil_test_run2_stats.csv)
  q=$(grep -c 'pooler error: query_wait_timeout' pgbouncer.log)
  echo "check: run1 failures $f1, run2 failures $f2 (want 0), pooler errors $q (want >= 5)" >&2
  [[ $f1 == 0 && $f2 == 0 ]] && ((q >= 5))
}
