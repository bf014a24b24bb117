package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// plantedSecrets are the values planted in secretArtifacts, each with its
// shape and where it sits. None may reach any output unless --no-redact.
var plantedSecrets = []struct{ value, shape, where string }{
	{"S3cretPw!1", "TEST_USER_POOL=user:password", "locust_login_failures.log and locust.log's echoed environment"},
	{"S3cretPw!2", "TEST_USER_POOL=user:password (second entry)", "locust_login_failures.log, locust.log"},
	{"hunter2-planted", "password=", "locust_login_failures.log"},
	{"plantedsessionkey0123456789abcdef", "session=", "auth_debug.log"},
	{"DbPassPlanted", "postgres://user:password@ (URL userinfo)", "a runserver exception message"},
	{"plantedcookie123", "Cookie: sessionid=", "a runserver log record"},
	{"plantedcsrf456", "Cookie: csrftoken=", "a runserver log record"},
	{"plantedbearertoken", "Authorization: Bearer", "a runserver log record"},
	{"plantedformtoken", "csrfmiddlewaretoken= (query string)", "a runserver request line"},
	{"FailCsvPwPlanted", "password= in an error text", "a Locust _failures.csv error"},
	{"UrlPwPlanted", "http://user:password@ (URL userinfo)", "a Locust _failures.csv error"},
	{"ExcPwPlanted", "'password': (Python dict)", "a Locust _exceptions.csv message and traceback"},
	{"HostPwPlanted", "--host URL userinfo", "an echoed Locust command line"},
	{"plantedstatstoken", "?token= in a request name", "Locust stats, history and failures rows"},
	{"plantedapikey", "api_key= (keyword argument)", "a django_errors.log traceback frame"},
	{"PlantedAccessTok1", "access_token= (query string)", "a runserver request line"},
	{"PlantedIdTok2", "id_token=", "a django_errors.log record"},
	{"PlantedRefreshTok3", "refresh_token=", "a django_errors.log record"},
	{"PlantedDbPw4", "DB_PASSWORD=", "env.txt (an unknown format: unparsed examples)"},
	{"PlantedPgPw5", "PGPASSWORD=", "env.txt and locust.log"},
	{"PlantedSecretKey6", "SECRET_KEY=", "env.txt"},
	{"PlantedClientSecret7", "client_secret=", "a runserver Bad Request record"},
	{"PlantedAwsSecret8", "aws_secret_access_key=", "env.txt"},
	{"PlantedMetaBearer9", "'HTTP_AUTHORIZATION': (Django META)", "a django_errors.log traceback"},
	{"PlantedXApiKey10", "X-Api-Key: (header)", "a runserver log record"},
	{"PlantedCamelKey11", "apiKey= (camel case)", "a Locust _failures.csv error"},
	{"PlantedCamelSecret12", "clientSecret: (camel case, JSON)", "a django_errors.log record"},
	{"PlantedKebabTok13", "x-auth-token: (kebab case)", "a runserver log record"},
	{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkIn0.UGxhbnRlZEp3dFNpZ25hdHVyZTE0", "JWT (bare)", "a django_errors.log record"},
	{"AKIAPLANTED15EXAMPLE", "AWS access key ID (bare)", "locust.log"},
	{"ghp_Planted16aBcDeFgHiJkLmNoPqRsTuVwXyZ0123", "GitHub token (bare)", "locust.log"},
	{"github_pat_11PLANTED17_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRST", "GitHub fine-grained token (bare)", "env.txt"},
	{"glpat-Planted18xYz0123456789", "GitLab token (bare)", "locust.log"},
	{"sk_live_Planted19aBcDeFgHiJkLmNo", "Stripe secret key (bare)", "a Locust _exceptions.csv message"},
	{"xoxb-2026-Planted20-aBcDeFgHiJkL", "Slack token (bare)", "locust.log"},
	{"AIzaPlanted21_aBcDeFgHiJkLmNoPqRsTuVwXyZ01", "Google API key (bare)", "a runserver log record"},
	{"RedisPwPlanted22", "redis://:password@ (URL userinfo, no user)", "a django_errors.log record"},
}

// secretArtifacts writes a small but real-shaped artifact folder (one run,
// WIB clocks like samples/pool-exhaustion) with the planted secrets.
func secretArtifacts(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"logs/locust_login_failures.log": `2026-11-29 20:06:22,497 INFO Multi-user pool configured: 2 users (tester001, tester002) from TEST_USER_POOL=tester001:S3cretPw!1,tester002:S3cretPw!2
2026-11-29 20:06:50,792 ERROR login_server_error username=tester001 status=500 url=http://127.0.0.1:58000/accounts/login/ error=unknown password=hunter2-planted
2026-11-29T20:06:50.792584 login_server_error username=tester001 status=500 url=http://127.0.0.1:58000/accounts/login/ error=unknown password=hunter2-planted
`,
		"logs/auth_debug.log": `2026-11-29 20:06:22,616 DEBUG auth_debug auth_request method=GET path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=False csrf_header=False form_csrf=False
2026-11-29 20:06:50,700 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=plantedsessionkey0123456789abcdef ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True
2026-11-29 20:06:50,722 INFO auth_debug auth_response status=500 method=POST path=/accounts/login/ user=anon duration_ms=10234.55 db_queries=n/a db_time_ms=n/a
2026-11-29 20:06:50,723 ERROR auth_debug auth_failure status=500 path=/accounts/login/ session=plantedsessionkey0123456789abcdef
`,
		"logs/runserver_8000.err.log": `[29/Nov/2026 20:06:22] "GET /accounts/login/ HTTP/1.1" 200 1272
[29/Nov/2026 20:06:29] "GET /accounts/login/?next=/dashboard/&csrfmiddlewaretoken=plantedformtoken HTTP/1.1" 200 1272
2026-11-29 20:06:43,380 WARNING django.request Bad Request: /accounts/login/ Cookie: sessionid=plantedcookie123; csrftoken=plantedcsrf456
2026-11-29 20:06:43,381 WARNING django.request Bad Request: /api/project/54/pricing/ Authorization: Bearer plantedbearertoken
2026-11-29 20:06:43,388 ERROR django.request Internal Server Error: /api/project/54/rekap-kebutuhan/
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/django/db/backends/base/base.py", line 219, in ensure_connection
    self.connect()
  File "/usr/lib/python3/dist-packages/psycopg2/__init__.py", line 122, in connect
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
psycopg2.OperationalError: could not connect to postgres://rabapp:DbPassPlanted@127.0.0.1:6432/rabdb: FATAL:  query_wait_timeout

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/django/core/handlers/exception.py", line 47, in inner
    response = get_response(request)
django.db.utils.OperationalError: could not connect to postgres://rabapp:DbPassPlanted@127.0.0.1:6432/rabdb: FATAL:  query_wait_timeout
[29/Nov/2026 20:06:43] "GET /api/project/54/rekap-kebutuhan/ HTTP/1.1" 500 145
[29/Nov/2026 20:06:44] "GET /api/export/?access_token=PlantedAccessTok1&page=2 HTTP/1.1" 200 88
2026-11-29 20:06:44,100 WARNING django.request Bad Request: /oauth/token/ client_secret=PlantedClientSecret7 grant_type=client_credentials
2026-11-29 20:06:44,101 WARNING django.request Bad Request: /api/v1/ X-Api-Key: PlantedXApiKey10
2026-11-29 20:06:44,102 WARNING django.request Bad Request: /api/v2/ x-auth-token: PlantedKebabTok13
2026-11-29 20:06:44,103 WARNING django.request Bad Request: /maps/ key AIzaPlanted21_aBcDeFgHiJkLmNoPqRsTuVwXyZ01 rejected
`,
		"logs/django_errors.log": `2026-11-29 20:06:43,388 ERROR django.request Internal Server Error: /api/project/54/rekap-kebutuhan/
Traceback (most recent call last):
  File "/srv/app/views.py", line 12, in rekap
    client = Exporter(api_key=plantedapikey)
django.db.utils.OperationalError: FATAL:  query_wait_timeout
2026-11-29 20:06:45,001 ERROR django.request Internal Server Error: /api/sso/
Traceback (most recent call last):
  File "/srv/app/sso.py", line 30, in callback
    claims = verify(request.META)  # {'HTTP_AUTHORIZATION': 'Bearer PlantedMetaBearer9', 'REMOTE_ADDR': '127.0.0.1'}
ValueError: bad id_token=PlantedIdTok2 refresh_token=PlantedRefreshTok3
2026-11-29 20:06:45,002 WARNING django.security sso config {"clientId": "abc", "clientSecret": "PlantedCamelSecret12"}
2026-11-29 20:06:45,003 WARNING django.security rejected header eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkIn0.UGxhbnRlZEp3dFNpZ25hdHVyZTE0 from 127.0.0.1
2026-11-29 20:06:45,004 ERROR django.cache cannot reach redis://:RedisPwPlanted22@127.0.0.1:6379/0
`,
		"locust.log": `TEST_USER_POOL=tester001:S3cretPw!1,tester002:S3cretPw!2
Command: locust -f locustfile.py --headless -u 2 -r 1 -t 40s --host http://admin:HostPwPlanted@127.0.0.1:58000 --csv hasil_test_secret --html hasil_test_secret.html
[2026-11-29 20:06:22,497] vm/INFO/locust.auth: Multi-user pool configured: 2 users (tester001, tester002) TEST_USER_POOL=tester001:S3cretPw!1,tester002:S3cretPw!2
[2026-11-29 20:06:22,497] vm/INFO/locust.main: Run time limit set to 40 seconds
[2026-11-29 20:06:22,498] vm/INFO/locust.main: environment PGPASSWORD=PlantedPgPw5
[2026-11-29 20:06:22,498] vm/INFO/locust.main: signing requests as AKIAPLANTED15EXAMPLE
[2026-11-29 20:06:22,499] vm/INFO/locust.main: cloning with ghp_Planted16aBcDeFgHiJkLmNoPqRsTuVwXyZ0123
[2026-11-29 20:06:22,500] vm/INFO/locust.main: mirror token glpat-Planted18xYz0123456789 notify xoxb-2026-Planted20-aBcDeFgHiJkL
[2026-11-29 20:06:50,792] vm/ERROR/locust.auth: login_server_error username=tester001 status=500 url=http://127.0.0.1:58000/accounts/login/ error=unknown password=hunter2-planted
`,
		"hasil_test_secret_stats.csv": `Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
POST,[AUTH] Login POST,4,1,9400.0,7846.68,3960.24,10234.55,59.4,0.13,0.03,9400,9400,9400,9600,9600,9600,9600,9600,9600,9600,9600
GET,/api/reset/?token=plantedstatstoken,2,1,8900.0,8089.05,4690.79,9931.54,46.75,0.10,0.03,8900,8900,9900,9900,9900,9900,9900,9900,9900,9900,9900
,Aggregated,6,2,9400.0,7900.0,3960.24,10234.55,55.0,0.23,0.06,9400,9400,9400,9900,9900,9900,9900,9900,9900,9900,9900
`,
		"hasil_test_secret_stats_history.csv": `Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size
1795957582,0,,Aggregated,0.000000,0.000000,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0.0,0,0,0
1795957610,2,GET,/api/reset/?token=plantedstatstoken,0.100000,0.030000,8900,8900,9900,9900,9900,9900,9900,9900,9900,9900,9900,2,1,8900.0,8089.05,4690.79,9931.54,46.75
1795957611,2,,Aggregated,0.230000,0.060000,9400,9400,9400,9900,9900,9900,9900,9900,9900,9900,9900,6,2,9400.0,7900.0,3960.24,10234.55,55.0
`,
		"hasil_test_secret_failures.csv": `Method,Name,Error,Occurrences
POST,[AUTH] Login POST,CatchResponseError('login server error: 500 for tester001 password=FailCsvPwPlanted'),1
GET,/api/maps/,HTTPError('403 Client Error: Forbidden for url: /api/maps/?apiKey=PlantedCamelKey11'),1
GET,/api/reset/?token=plantedstatstoken,HTTPError('500 Server Error: Internal Server Error for url: http://tester001:UrlPwPlanted@127.0.0.1:58000/api/reset/'),1
`,
		"hasil_test_secret_exceptions.csv": `Count,Message,Traceback,Nodes
1,"stripe.error.AuthenticationError: Invalid API Key provided: sk_live_Planted19aBcDeFgHiJkLmNo","Traceback (most recent call last):
  File ""locustfile.py"", line 120, in pay
    stripe.Charge.create(amount=100)
stripe.error.AuthenticationError: Invalid API Key provided: sk_live_Planted19aBcDeFgHiJkLmNo
",local
1,"KeyError('next') data={'login': 'tester001', 'password': 'ExcPwPlanted'}","Traceback (most recent call last):
  File ""locustfile.py"", line 88, in login
    self.client.post(url, data={'login': 'tester001', 'password': 'ExcPwPlanted'})
KeyError: 'next'
",local
`,
		// A file of no known format: its lines reach the audit's unparsed
		// examples.
		"env.txt": `DB_PASSWORD=PlantedDbPw4
PGPASSWORD=PlantedPgPw5
SECRET_KEY=PlantedSecretKey6
aws_secret_access_key = PlantedAwsSecret8
GH_PAT github_pat_11PLANTED17_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRST
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCLI runs one command line in-process and returns stdout, stderr and
// the exit code.
func runCLI(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := run(append([]string{"logcorr"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

// leakedSecrets returns the planted values found in text.
func leakedSecrets(text string) []string {
	var got []string
	for _, s := range plantedSecrets {
		if strings.Contains(text, s.value) {
			got = append(got, s.value)
		}
	}
	return got
}

// commandsPresent lists the top-level commands of the CLI, so that the test
// also covers commands added after it was written.
func commandsPresent() map[string]bool {
	m := map[string]bool{}
	for _, c := range newApp().Commands {
		m[c.Name] = true
	}
	return m
}

func TestSecretsNeverReachOutput(t *testing.T) {
	dir := secretArtifacts(t)
	outDir := t.TempDir()
	type output struct {
		name string
		text string
	}
	var outputs []output
	add := func(name string, args ...string) {
		stdout, stderr, code := runCLI(args...)
		if code == exitUsage {
			t.Errorf("%s: exit %d\nstderr: %s", name, code, stderr)
		}
		outputs = append(outputs, output{name + " (stdout)", stdout}, output{name + " (stderr)", stderr})
	}
	add("parse", "parse", dir)
	add("parse --json", "parse", "--json", dir)
	for _, ext := range []string{".arrow", ".parquet", ".jsonl"} {
		base := filepath.Join(outDir, "tables"+ext)
		add("parse --out "+ext, "parse", "--out", base, dir)
	}
	for _, f := range []string{"text", "markdown", "json", "html"} {
		add("analyze --format "+f, "analyze", "--format", f, "--min-parsed", "0", "--fail-on", "none", dir)
		p := filepath.Join(outDir, "report."+f)
		add("analyze --out "+f, "analyze", "--format", f, "--out", p, "--min-parsed", "0", "--fail-on", "none", dir)
	}
	add("rules test", "rules", "test", "pgbouncer-pool-exhausted", dir)
	// Commands added after this test was written, in every format.
	for _, c := range laterCommands() {
		if commandsPresent()[c[0]] {
			add(strings.Join(c, " "), append(append([]string(nil), c...), dir)...)
		}
	}

	// Every file written under outDir, as bytes and, for Arrow and
	// Parquet, as decoded cell values (Parquet pages may be compressed).
	entries, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	exts := map[string]bool{}
	for _, e := range entries {
		p := filepath.Join(outDir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, output{e.Name() + " (bytes)", string(b)})
		switch filepath.Ext(p) {
		case ".arrow":
			outputs = append(outputs, output{e.Name() + " (decoded)", arrowCells(t, p)})
		case ".parquet":
			outputs = append(outputs, output{e.Name() + " (decoded)", parquetCells(t, p)})
		}
		exts[filepath.Ext(p)] = true
	}
	for _, ext := range []string{".arrow", ".parquet", ".jsonl", ".text", ".markdown", ".json", ".html", ".svg"} {
		if !exts[ext] {
			t.Errorf("no %s file was written to %s", ext, outDir)
		}
	}
	masked := 0
	var all strings.Builder
	for _, o := range outputs {
		masked += strings.Count(o.text, "[REDACTED]")
		all.WriteString(o.text)
		if leaks := leakedSecrets(o.text); len(leaks) > 0 {
			t.Errorf("%s leaks %v", o.name, leaks)
		}
	}
	if masked == 0 {
		t.Errorf("no output shows a %q mask: the planted lines were not read", "[REDACTED]")
	}

	// The planted values are really in the data the outputs are made of:
	// without redaction each one shows up, so the checks above can fail.
	shown := noRedactOutputs(t, dir)
	t.Logf("| planted shape | where | redacted run | --no-redact |")
	t.Logf("| --- | --- | --- | --- |")
	for _, p := range plantedSecrets {
		redacted := "found in no output"
		if strings.Contains(all.String(), p.value) {
			redacted = "LEAKED"
		}
		plain := "shown"
		if !strings.Contains(shown, p.value) {
			plain = "not shown"
			t.Errorf("%s (%s): not in any --no-redact output, so its redaction proves nothing", p.value, p.shape)
		}
		t.Logf("| %s | %s | %s | %s |", p.shape, p.where, redacted, plain)
	}
}

// noRedactOutputs is every output of the commands that take --no-redact,
// with it: the tables (every record's text), the audit, and the reports.
func noRedactOutputs(t *testing.T, dir string) string {
	t.Helper()
	var all strings.Builder
	out := filepath.Join(t.TempDir(), "plain.jsonl")
	for _, args := range [][]string{
		{"parse", "--no-redact", "--json", "--out", out, dir},
		{"analyze", "--no-redact", "--format", "json", "--min-parsed", "0", "--fail-on", "none", dir},
		{"analyze", "--no-redact", "--format", "markdown", "--min-parsed", "0", "--fail-on", "none", dir},
		{"analyze", "--no-redact", "--format", "html", "--min-parsed", "0", "--fail-on", "none", dir},
		{"timeline", "--no-redact", "--format", "json", dir},
	} {
		stdout, stderr, _ := runCLI(args...)
		all.WriteString(stdout)
		all.WriteString(stderr)
	}
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "plain.*.jsonl"))
	if len(files) == 0 {
		t.Fatalf("parse --no-redact --out wrote no table")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}

// laterCommands are the command lines (without the folder) of commands
// added after analyze and parse, each output format once.
func laterCommands() [][]string {
	return [][]string{
		{"compare", "--min-parsed", "0", "--format", "text"},
		{"compare", "--min-parsed", "0", "--format", "markdown"},
		{"compare", "--min-parsed", "0", "--format", "json"},
		{"timeline", "--format", "text"},
		{"timeline", "--format", "json"},
		{"report", "weekly"},
		{"report", "weekly", "--lang", "id"},
	}
}

// arrowCells returns every cell of every column of an Arrow IPC file as text.
func arrowCells(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	var b strings.Builder
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		recordCells(&b, rec)
	}
	return b.String()
}

// parquetCells returns every cell of every column of a Parquet file as text.
func parquetCells(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(context.Background(), f, nil, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	var b strings.Builder
	for tr.Next() {
		recordCells(&b, tr.RecordBatch())
	}
	return b.String()
}

func recordCells(b *strings.Builder, rec arrow.RecordBatch) {
	for c := 0; c < int(rec.NumCols()); c++ {
		col := rec.Column(c)
		for i := 0; i < col.Len(); i++ {
			b.WriteString(col.ValueStr(i))
			b.WriteByte('\n')
		}
	}
}

// TestPlantedSecretsListed keeps the list of planted secrets honest: every
// value is planted somewhere in the artifact folder.
func TestPlantedSecretsListed(t *testing.T) {
	dir := secretArtifacts(t)
	var text strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			text.Write(b)
		}
		return nil
	})
	var missing []string
	for _, s := range plantedSecrets {
		if !strings.Contains(text.String(), s.value) {
			missing = append(missing, s.value)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("listed but not planted: %v", missing)
	}
}
