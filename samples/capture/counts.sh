#!/usr/bin/env bash
# counts.sh DIR — markdown table of counts grepped from a captured scenario folder.
# Every number is a plain grep/awk over the files, so anyone can re-check it by hand.
set -uo pipefail
D="${1:?usage: counts.sh DIR}"
cd "$D" || exit 1
c() { local n; n=$(grep -c -- "$1" "$2" 2>/dev/null); echo "${n:-0}"; }   # grep -c PATTERN FILE
ce() { local n; n=$(grep -cE -- "$1" "$2" 2>/dev/null); echo "${n:-0}"; }
row() { printf '| %s | `%s` | %s |\n' "$1" "$2" "$3"; }

echo "| file | what (grep pattern) | count |"
echo "| --- | --- | --- |"
P=pgbouncer.log
row $P "lines" "$(wc -l <$P)"
row $P "pooler error: query_wait_timeout" "$(c 'pooler error: query_wait_timeout' $P)"
row $P "query_wait_timeout (any line)" "$(c 'query_wait_timeout' $P)"
row $P "closing because: query_wait_timeout" "$(c 'closing because: query_wait_timeout' $P)"
row $P " WARNING " "$(c ' WARNING ' $P)"
row $P "login attempt:" "$(c 'login attempt:' $P)"
row $P "LOG stats:" "$(c 'LOG stats:' $P)"
row $P " WIB [" "$(c ' WIB \[' $P)"
R=logs/runserver_8000.err.log
row $R "lines" "$(wc -l <$R)"
row $R 'request lines ^\[dd/Mon/YYYY HH:MM:SS\] "' "$(ce '^\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4} [0-9:]{8}\] "' $R)"
for st in 200 302 403 500; do
  row $R "request lines with status $st" "$(ce "^\[[^]]*\] \"[A-Z]+ [^\"]*\" $st " $R)"
done
row $R '"POST /accounts/login/ HTTP/1.1" 500' "$(c '"POST /accounts/login/ HTTP/1.1" 500' $R)"
row $R '"POST /accounts/login/ HTTP/1.1" 200 (login page re-shown)' "$(c '"POST /accounts/login/ HTTP/1.1" 200' $R)"
row $R '"POST /accounts/login/ HTTP/1.1" 302' "$(c '"POST /accounts/login/ HTTP/1.1" 302' $R)"
row $R "^Traceback" "$(c '^Traceback' $R)"
row $R "ERROR django.request Internal Server Error" "$(c 'ERROR django.request Internal Server Error' $R)"
row $R "django.db.utils.OperationalError: FATAL:  query_wait_timeout" "$(c 'django.db.utils.OperationalError: FATAL:  query_wait_timeout' $R)"
E=logs/django_errors.log
row $E "records ^YYYY-mm-dd HH:MM:SS,mmm" "$(ce '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8},[0-9]{3} ' $E)"
row $E "^Traceback" "$(c '^Traceback' $E)"
row $E "Internal Server Error: /accounts/login/" "$(c 'Internal Server Error: /accounts/login/$' $E)"
row $E "django.db.utils.OperationalError: FATAL:  query_wait_timeout" "$(c 'django.db.utils.OperationalError: FATAL:  query_wait_timeout' $E)"
row $E "psycopg2.OperationalError: FATAL:  query_wait_timeout" "$(c 'psycopg2.OperationalError: FATAL:  query_wait_timeout' $E)"
A=logs/auth_debug.log
row $A "auth_request" "$(c ' auth_request ' $A)"
for st in 200 302 403 500; do
  row $A "auth_response status=$st" "$(c "auth_response status=$st " $A)"
done
row $A "auth_failure" "$(c ' auth_failure ' $A)"
L=logs/locust_login_failures.log
row $L "lines" "$(wc -l <$L)"
row $L "logger lines ERROR login_server_error" "$(c ' ERROR login_server_error ' $L)"
row $L "raw isoformat lines login_server_error" "$(ce '^[0-9-]{10}T[0-9:.]+ login_server_error ' $L)"
row $L "logger lines ERROR login_page_returned" "$(c ' ERROR login_page_returned ' $L)"
row $L "raw isoformat lines login_page_returned" "$(ce '^[0-9-]{10}T[0-9:.]+ login_page_returned ' $L)"
row $L "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti." "$(c 'Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.' $L)"
row $L "Too many failed login attempts. Try again later." "$(c 'Too many failed login attempts. Try again later.' $L)"
row $L "Nama pengguna dan/atau kata sandi yang anda masukkan tidak benar." "$(c 'Nama pengguna dan/atau kata sandi yang anda masukkan tidak benar.' $L)"
row $L "The username and/or password you specified are not correct." "$(c 'The username and/or password you specified are not correct.' $L)"
row $L "Multi-user pool configured" "$(c 'Multi-user pool configured' $L)"
row $L "single_user_pool active" "$(c 'single_user_pool active' $L)"
row $L "TEST_USER_POOL invalid entry" "$(c 'TEST_USER_POOL invalid entry' $L)"
row locust.log "lines" "$(wc -l <locust.log)"
row locust.log "/ERROR/locust.auth:" "$(c '/ERROR/locust.auth:' locust.log)"
row locust.log "^Traceback" "$(c '^Traceback' locust.log)"

for s in hasil_test_*_stats.csv; do
  [[ -e $s ]] || continue
  n=${s%_stats.csv}
  echo
  echo "### Locust run \`$n\`"
  echo
  awk -F, '$2=="Aggregated"{printf "- `%s` Aggregated: %s requests, %s failures\n", FILENAME, $3, $4}' "$s"
  awk -F, 'NR>1 && $2!="Aggregated" && $4>0 {printf "  - %s %s: %s requests, %s failures\n", $1, $2, $3, $4}' "$s"
  f=${n}_failures.csv
  if [[ -e $f ]]; then
    total=$(awk -F, 'NR>1{s+=$NF} END{print s+0}' "$f")
    echo "- \`$f\`: $(($(wc -l <"$f") - 1)) rows, $total occurrences"
    awk 'NR>1{print "  - `" $0 "`"}' "$f"
  fi
  x=${n}_exceptions.csv
  [[ -e $x ]] && echo "- \`$x\`: $(grep -cE '^[0-9]+,' "$x") exception rows"
  h=${n}_stats_history.csv
  [[ -e $h ]] && echo "- \`$h\`: $(($(wc -l <"$h") - 1)) rows"
  [[ -e $n.html ]] && echo "- \`$n.html\`: $(wc -c <"$n.html") bytes"
done
