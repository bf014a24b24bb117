# rate-limited: allauth login-attempt limit hit by users with wrong passwords, Indonesian locale.
PGB_POOL_SIZE=20; PGB_RESERVE_POOL_SIZE=5; PGB_RESERVE_POOL_TIMEOUT=5; PGB_QUERY_WAIT_TIMEOUT=60
CAP_LANGUAGE_CODE=id; CAP_LOGIN_ATTEMPTS_LIMIT=3; CAP_LOGIN_ATTEMPTS_TIMEOUT=300
CAP_SLEEP_REKAP=0.05; CAP_SLEEP_VALIDATE=0.05; CAP_SLEEP_PRICING=0.02; CAP_SLEEP_DASHBOARD=0
N_USERS=20
DESCRIPTION="Adequate pool (default_pool_size=20), quick endpoints, LANGUAGE_CODE='id'
(Locust sends no Accept-Language, so pages are Indonesian), ACCOUNT_LOGIN_ATTEMPTS_LIMIT=3 within
300 s. TEST_USER_POOL has 16 entries: tester001..tester010 with the right password,
tester011..tester016 with a wrong one, plus one malformed entry \`tester099\` (no ':password') that
the locustfile skips with a warning. 20 Locust users take pool entries round-robin. Users with a
wrong password are never logged in, so every task retries the login: the first 3 attempts per
username are answered (HTTP 200, form re-shown) with allauth's 'Nama pengguna dan/atau kata sandi
yang anda masukkan tidak benar.', later ones with the rate-limit message
'Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.' — Debian's allauth 0.51 ships the
Indonesian catalogue with exactly the user's text (checked with gettext)."
DIAGNOSIS="Root cause: allauth login rate limiting (finding \`allauth-rate-limited\`) caused by
credentials that are wrong for some pool users (tester011..tester016), not by the server: no 5xx,
no PgBouncer pooler errors, empty \`logs/django_errors.log\`. Evidence: \`[AUTH] Login POST\`
\`CatchResponseError('login page returned')\` in the failures CSV, \`login_page_returned
username=... error=Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.\` (twice per event:
logger line + raw isoformat line) in \`logs/locust_login_failures.log\`, and \`auth_response
status=200 method=POST\` in \`logs/auth_debug.log\` (a failed login is a 200, not a 302). Secondary:
the malformed TEST_USER_POOL entry warning."
scenario_runs() {
  local pool="" i
  for i in $(seq 1 10); do pool+=$(printf 'tester%03d:%s,' "$i" "$USER_PASSWORD"); done
  for i in $(seq 11 16); do pool+=$(printf 'tester%03d:%s,' "$i" "wrong-password"); done
  pool+="tester099"
  locust_run rate_limited 20 5 40s "$pool"
}
scenario_check() {
  local n; n=$(grep -c 'Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.' logs/locust_login_failures.log)
  echo "check: $n rate-limit message lines (want >= 20)" >&2
  ((n >= 20))
}
