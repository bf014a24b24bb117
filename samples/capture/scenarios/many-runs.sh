# many-runs: one logs/ folder appended to by three consecutive Locust runs, like a user's repo root.
PGB_POOL_SIZE=4; PGB_RESERVE_POOL_SIZE=1; PGB_RESERVE_POOL_TIMEOUT=3; PGB_QUERY_WAIT_TIMEOUT=8
CAP_SLEEP_REKAP=0.8; CAP_SLEEP_VALIDATE=0.3; CAP_SLEEP_PRICING=0.3; CAP_SLEEP_DASHBOARD=0.1
N_USERS=40
DESCRIPTION="One stack (default_pool_size=4 +1 reserve, query_wait_timeout=8 s, rekap-kebutuhan
holds a connection 0.8 s) and three consecutive Locust runs with different --csv prefixes, all
appending to the same \`logs/\`, \`pgbouncer.log\` and \`locust.log\` (gaps of a few seconds between
runs): run1 = 10 users without TEST_USER_POOL (single user \`loadtest\`), run2 = 20 users with a
20-entry pool, run3 = 40 users with a 40-entry pool. Only run3 writes an HTML report: three
Locust 2.12 HTML files (~750 kB each) would push the folder past 2 MB."
DIAGNOSIS="An analyzer must split the appended logs by run, using each run's time window
(\`_stats_history.csv\` Unix timestamps, UTC) against the naive WIB (UTC+7) log clocks. run1 and run2
are light; run3 doubles the users on the same small pool — whether and how many
\`query_wait_timeout\` errors occur is in the counts below (per run: see the per-run CSV
failures). Any pool errors belong to run3's window only. Log lines \`single_user_pool active\`
(run1) and \`Multi-user pool configured\` (run2, run3) mark run starts in
\`logs/locust_login_failures.log\`."
scenario_runs() {
  local pool2 pool3
  pool2=$(for i in $(seq 1 20); do printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"; done)
  pool3=$(for i in $(seq 1 40); do printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"; done)
  locust_run run1 10 5 25s "" no
  sleep 5
  locust_run run2 20 5 25s "${pool2%,}" no
  sleep 5
  locust_run run3 40 8 30s "${pool3%,}" yes
}
