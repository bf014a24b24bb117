package redact

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain line untouched", "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/", "2026-11-29 18:57:27,305 ERROR django.request Internal Server Error: /dashboard/"},
		{"user pool", "TEST_USER_POOL=tester001:Tester#2026,tester002:Tester#2026 locust -f x.py", "TEST_USER_POOL=tester001:[REDACTED],tester002:[REDACTED] locust -f x.py"},
		{"password field", "login username=bob password=hunter2 status=200", "login username=bob password=[REDACTED] status=200"},
		{"json password", `{"username": "bob", "password": "hunter2"}`, `{"username": "bob", "password": "[REDACTED]"}`},
		{"url credentials", "DATABASE_URL=postgres://rabapp:s3cret@127.0.0.1:6432/rabdb", "DATABASE_URL=postgres://rabapp:[REDACTED]@127.0.0.1:6432/rabdb"},
		{"session key", "auth_request method=POST session=k3j4h5g6f7d8s9a0qwertyuiopasdfgh ip=127.0.0.1", "auth_request method=POST session=[REDACTED] ip=127.0.0.1"},
		{"session None kept", "auth_request method=GET user=anon session=None ip=127.0.0.1 csrf_cookie=False", "auth_request method=GET user=anon session=None ip=127.0.0.1 csrf_cookie=False"},
		{"csrf cookie flag kept", "csrf_cookie=True csrf_header=False form_csrf=True", "csrf_cookie=True csrf_header=False form_csrf=True"},
		{"csrf token", "csrfmiddlewaretoken=AbCdEf0123456789&username=x", "csrfmiddlewaretoken=[REDACTED]&username=x"},
		{"cookie header", "Cookie: sessionid=abc123; csrftoken=def456", "Cookie: [REDACTED]"},
		{"authorization header", "Authorization: Bearer eyJhbGciOi.x.y", "Authorization: [REDACTED]"},
		{"word boundary", "bypass=1 compass: north", "bypass=1 compass: north"},
		{"malformed pool entry", "TEST_USER_POOL invalid entry (missing ':password'): 'bob;hunter2' - skipped (format: username:password)", "TEST_USER_POOL invalid entry (missing ':password'): 'bob;[REDACTED]' - skipped (format: username:password)"},
		{"pool entry without password kept", "TEST_USER_POOL invalid entry (missing ':password'): 'tester099' - skipped (format: username:password)", "TEST_USER_POOL invalid entry (missing ':password'): 'tester099' - skipped (format: username:password)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := String(c.in); got != c.want {
				t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// A real-shaped value of each token kind (none is a live credential: the
// AWS one is AWS's documented example, the others are made up).
const (
	jwt       = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	awsKey    = "AKIAIOSFODNN7EXAMPLE"
	awsTemp   = "ASIAY34FZKBOKMUTVV7A"
	ghToken   = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	ghPAT     = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"
	glToken   = "glpat-xT3x9Qv2LmN8bRk4PzWq"
	stripe    = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	slack     = "xoxb-2365149-53819373-KmNvQd3Xr8sTb2Lp"
	googleKey = "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
	npmToken  = "npm_abcdefghijklmnopqrstuvwxyz0123456789"
)

// TestKeyShapes: every spelling of a secret key, in every case style, is
// masked, and counted under its kind.
func TestKeyShapes(t *testing.T) {
	cases := []struct {
		in, want string
		kind     Kind
	}{
		{"access_token=abc123def", "access_token=[REDACTED]", KindToken},
		{"id_token=abc123def", "id_token=[REDACTED]", KindToken},
		{"refresh_token=abc123def", "refresh_token=[REDACTED]", KindToken},
		{"DB_PASSWORD=hunter2", "DB_PASSWORD=[REDACTED]", KindPassword},
		{"PGPASSWORD=hunter2 psql -h db", "PGPASSWORD=[REDACTED] psql -h db", KindPassword},
		{"SECRET_KEY=django-insecure-x9", "SECRET_KEY=[REDACTED]", KindSecret},
		{"client_secret=s3cr3t", "client_secret=[REDACTED]", KindSecret},
		{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key = [REDACTED]", KindSecret},
		{"'HTTP_AUTHORIZATION': 'Bearer abc.def'", "'HTTP_AUTHORIZATION': '[REDACTED]'", KindAuth},
		{"X-Api-Key: 9f8e7d6c5b4a", "X-Api-Key: [REDACTED]", KindKey},
		{"x-api-key=9f8e7d6c5b4a", "x-api-key=[REDACTED]", KindKey},
		{"apiKey: 9f8e7d6c5b4a", "apiKey: [REDACTED]", KindKey},
		{"APIKey=9f8e7d6c5b4a", "APIKey=[REDACTED]", KindKey},
		{"clientSecret=abc", "clientSecret=[REDACTED]", KindSecret},
		{"authToken=abc", "authToken=[REDACTED]", KindToken},
		{"sessionId=abc123", "sessionId=[REDACTED]", KindSession},
		{"spring.datasource.password=hunter2", "spring.datasource.password=[REDACTED]", KindPassword},
		{"--db-password=hunter2 --host x", "--db-password=[REDACTED] --host x", KindPassword},
		{"pwd=hunter2", "pwd=[REDACTED]", KindPassword},
		{"dbpasswd: hunter2", "dbpasswd: [REDACTED]", KindPassword},
		{"GITHUB_TOKEN=abc", "GITHUB_TOKEN=[REDACTED]", KindToken},
		{"credentials=bob:pw", "credentials=[REDACTED]", KindSecret},
		{"Set-Cookie: sessionid=abc; HttpOnly", "Set-Cookie: [REDACTED]", KindCookie},
		{"HTTP_COOKIE: sessionid=abc; csrftoken=x", "HTTP_COOKIE: [REDACTED]", KindCookie},
		{"Authorization=Bearer abc123", "Authorization=[REDACTED]", KindAuth},
		{`password="two words"`, `password="[REDACTED]"`, KindPassword},
		{`{\"password\": \"hunter2\"}`, `{\"password\": \"[REDACTED]\"}`, KindPassword},
		{`if password == "hunter2":`, `if password == "[REDACTED]":`, KindPassword},
		{"self.secret_key = 'x9'", "self.secret_key = '[REDACTED]'", KindSecret},
		{"auth_key=0f9e8d7c6b5a4f3e", "auth_key=[REDACTED]", KindKey},
		{"key=0f9e8d7c6b5a4f3e2d1c", "key=[REDACTED]", KindKey},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			var n Counts
			if got := Count(c.in, &n); got != c.want {
				t.Errorf("Count(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if n[c.kind] != 1 || n.Total() != 1 {
				t.Errorf("counts %v, want one %s", n.Map(), c.kind)
			}
		})
	}
}

// TestValueShapes: tokens whose shape alone says they are secrets are
// masked wherever they stand, with no key before them.
func TestValueShapes(t *testing.T) {
	cases := []struct {
		in   string
		kind Kind
	}{
		{"got header " + jwt + " from client", KindJWT},
		{"boto3 client with " + awsKey + " failed", KindAWSKey},
		{"temporary " + awsTemp, KindAWSKey},
		{"git clone using " + ghToken, KindGitHubToken},
		{"pat " + ghPAT + ".", KindGitHubToken},
		{"CI_JOB " + glToken, KindGitLabToken},
		{"stripe.api_key is set to " + stripe, KindStripeKey},
		{"slack " + slack, KindSlackToken},
		{"maps " + googleKey, KindGoogleKey},
		{"npm " + npmToken, KindNpmToken},
		{"https://" + ghToken + "@github.com/org/repo.git", KindGitHubToken},
		{"https://x-access-token:plainpassword@github.com/org/repo.git", KindURLUserinfo},
		{"redis://:plainpassword@cache:6379/0", KindURLUserinfo},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			var n Counts
			got := Count(c.in, &n)
			for _, secret := range []string{jwt, awsKey, awsTemp, ghToken, ghPAT, glToken, stripe, slack, googleKey, npmToken, "plainpassword"} {
				if strings.Contains(got, secret) {
					t.Errorf("Count(%q) = %q keeps %q", c.in, got, secret)
				}
			}
			if !strings.Contains(got, Mask) {
				t.Errorf("Count(%q) = %q: nothing masked", c.in, got)
			}
			if n[c.kind] != 1 || n.Total() != 1 {
				t.Errorf("counts %v, want one %s", n.Map(), c.kind)
			}
		})
	}
}

// TestNotSecrets: ordinary words and log lines that merely mention a key
// word stay as they are.
func TestNotSecrets(t *testing.T) {
	for _, in := range []string{
		"monkey=1 keyboard=us turkey: roast donkey=2 hockey: 3 whiskey=4",
		"Authorization failed for user bob; the Authorization header was missing",
		"Missing Authorization header in request",
		"Forbidden (CSRF token missing.): /accounts/login/",
		"Forbidden (CSRF cookie not set.): /accounts/login/",
		"KeyError: 'next'",
		"django.contrib.sessions.exceptions.SessionInterrupted: The request's session was deleted before the request completed.",
		"django.core.exceptions.SuspiciousOperation: Session data corrupted",
		"django.contrib.sessions.exceptions.SuspiciousSession: Session data corrupted",
		"jwt.exceptions.InvalidTokenError: Signature has expired",
		"TokenExpired: Signature has expired",
		"PWD=/home/locust OLDPWD=/srv/app",
		"auth_request method=GET path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=False csrf_header=False form_csrf=False",
		"auth_type=md5 auth_user=pgbouncer",
		"return{$$typeof:e,type:t,key:a,ref:s,props:o,_owner:S.current}",
		"k={key:!0,ref:!0,__self:!0}",
		"sortKey: name themeKey: dark",
		"[AUTH] Login POST,4,1,9400.0",
		"postgres://127.0.0.1:6432/rabdb",
		"mail bob@example.com at http://example.com/a@b",
		"sk_test_helpers_module imported",
		"eyJust a word",
		"passenger=3 bypass=1 compass: north",
		"GET /api/token/refresh/ HTTP/1.1",
		"session_count=3 key=a",
		"http://127.0.0.1:58000/accounts/login/?next=/dashboard/",
		"[2026-11-29 18:57:01,558] vm/INFO/locust.auth: Multi-user pool configured: 60 users (tester001, tester002)",
		"------------------------------------------------------------------------",
		"auth_backend=allauth.account.auth_backends.AuthenticationBackend",
		"    self._session_cache = self.load()",
		"    token = request.GET.get('token')",
		"    self._tokens = []",
		"    return self.model.objects.filter(session_key=session_key).exists()",
		"hasil_test_secret_failures.csv:11: a field is longer than 1048576 bytes",
		"tests/test_token_refresh.py:42: AssertionError",
	} {
		var n Counts
		if got := Count(in, &n); got != in {
			t.Errorf("Count(%q)\n got %q: not a secret", in, got)
		}
		if n.Total() != 0 {
			t.Errorf("Count(%q) counted %v", in, n.Map())
		}
	}
}

// TestMayHold: the pre-check is true for every line that holds a secret
// the scan masks (it may be true for others).
func TestMayHold(t *testing.T) {
	for _, in := range []string{"access_token=abc", "PGPASSWORD=x", jwt, awsKey, ghToken, glToken, stripe, slack, googleKey, npmToken, "u://a:b@h", "X-Api-Key: 1"} {
		if !MayHold(in) {
			t.Errorf("MayHold(%q) = false", in)
		}
	}
	for _, in := range []string{"[29/Nov/2026 20:06:22] \"GET /accounts/login/ HTTP/1.1\" 200 1272", "pooler error: query_wait_timeout"} {
		if MayHold(in) {
			t.Errorf("MayHold(%q) = true", in)
		}
	}
}

// mayHoldEveryPair is the pre-check as a plain scan: does any trigger start
// at any byte? mayHold must agree with it on every input.
func mayHoldEveryPair(s string) bool {
	for i := range len(s) {
		for _, tr := range triggerIndex[s[i]] {
			if tr.fold && hasPrefixFold(s[i:], tr.word) || !tr.fold && strings.HasPrefix(s[i:], tr.word) {
				return true
			}
		}
	}
	return false
}

// firstTriggerEveryOffset is FirstTrigger as a plain scan: the first byte
// at which any trigger starts, -1 for none.
func firstTriggerEveryOffset(s string) int {
	for i := range len(s) {
		for _, tr := range triggerIndex[s[i]] {
			if tr.fold && hasPrefixFold(s[i:], tr.word) || !tr.fold && strings.HasPrefix(s[i:], tr.word) {
				return i
			}
		}
	}
	return -1
}

// agreesWithPlainScans fails t unless MayHold and FirstTrigger say on s
// what the plain scans say.
func agreesWithPlainScans(t *testing.T, where, s string) {
	t.Helper()
	if got, want := MayHold(s), mayHoldEveryPair(s); got != want {
		t.Fatalf("%sMayHold(%q) = %v, the plain scan says %v", where, s, got, want)
	}
	if got, want := FirstTrigger(s), firstTriggerEveryOffset(s); got != want {
		t.Fatalf("%sFirstTrigger(%q) = %d, the plain scan says %d", where, s, got, want)
	}
}

// The pre-check looks at every other byte pair; a trigger at any offset,
// of any case, at either end of the line, is still found.
func TestMayHoldEveryOffset(t *testing.T) {
	for _, tr := range append(append([]string{}, foldTriggers...), caseTriggers...) {
		for _, w := range []string{tr, strings.ToUpper(tr)} {
			for pre := 0; pre < 4; pre++ {
				for post := 0; post < 3; post++ {
					s := strings.Repeat("0", pre) + w + strings.Repeat("1", post)
					if got, want := MayHold(s), mayHoldEveryPair(s); got != want {
						t.Errorf("MayHold(%q) = %v, want %v", s, got, want)
					}
				}
			}
		}
	}
}

func TestCountsMap(t *testing.T) {
	var n Counts
	Count("password=a token=b "+jwt+" "+jwt, &n)
	m := n.Map()
	if m["password"] != 1 || m["token"] != 1 || m["jwt"] != 2 || len(m) != 3 {
		t.Errorf("Map() = %v", m)
	}
	var none Counts
	if none.Map() != nil {
		t.Errorf("empty counts map %v, want nil", none.Map())
	}
}

func FuzzString(f *testing.F) {
	f.Add("TEST_USER_POOL=a:b,c:d")
	f.Add("postgres://u:p@h/db password=x")
	f.Add("Cookie: sessionid=1")
	f.Add("X-Api-Key: " + awsKey + " " + jwt)
	f.Add(`{\"password\": \"a b\"} Authorization=Bearer x`)
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if strings.Contains(s, "hunter2") && strings.Contains(strings.ToLower(s), "password=hunter2") && strings.Contains(out, "password=hunter2") {
			t.Fatalf("password survived: %q", out)
		}
		if String(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, String(out))
		}
		if MayHold(s) != mayHoldEveryPair(s) {
			t.Fatalf("MayHold(%q) = %v, the plain scan says %v", s, MayHold(s), mayHoldEveryPair(s))
		}
		if FirstTrigger(s) != firstTriggerEveryOffset(s) {
			t.Fatalf("FirstTrigger(%q) = %d, the plain scan says %d", s, FirstTrigger(s), firstTriggerEveryOffset(s))
		}
		if !MayHold(s) && out != s {
			t.Fatalf("MayHold(%q) = false, but String masked it: %q", s, out)
		}
	})
}

// BenchmarkMayHold is the pre-check alone on lines without a secret, the
// parse stage's most common call (once per line).
func BenchmarkMayHold(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"pgbouncer", "2026-11-29 20:26:32.417 WIB [25331] LOG C-0x5603d5d1e4a0: rabdb/rabapp@127.0.0.1:41364 login attempt: db=rabdb user=rabapp tls=no"},
		{"runserver", `[29/Nov/2026 20:26:32] "GET /accounts/login/ HTTP/1.1" 200 1272`},
		{"auth-debug", "2026-11-29 20:26:32,408 DEBUG auth_debug auth_response status=200 method=GET path=/accounts/login/ user=anon duration_ms=55.65 db_queries=n/a db_time_ms=n/a"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.line)))
			for b.Loop() {
				mayHold(c.line)
			}
		})
	}
}

func BenchmarkStringNoSecret(b *testing.B) {
	line := "2026-11-29 18:57:01,605 DEBUG auth_debug auth_response status=200 method=GET path=/accounts/login/ user=anon duration_ms=36.60 db_queries=n/a db_time_ms=n/a"
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		String(line)
	}
}

// BenchmarkString measures the lines the parsers feed the redactor, from
// the cheapest (no trigger) to the costliest (several secrets, a long
// traceback line).
func BenchmarkString(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"runserver-request", `[29/Nov/2026 18:57:27] "GET /api/project/54/rekap-kebutuhan/ HTTP/1.1" 500 145`},
		{"pgbouncer", "2026-11-29 18:57:27.305 UTC [1234] WARNING C-0x55d: rabdb/rabapp@127.0.0.1:44202 pooler error: query_wait_timeout"},
		{"auth-debug-harmless", "2026-11-29 18:57:01,611 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=None ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True"},
		{"auth-debug-session", "2026-11-29 18:57:01,611 DEBUG auth_debug auth_request method=POST path=/accounts/login/ user=anon session=k3j4h5g6f7d8s9a0qwertyuiopasdfgh ip=127.0.0.1 csrf_cookie=True csrf_header=False form_csrf=True"},
		{"secrets", "login DB_PASSWORD=hunter2 access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl url=postgres://u:pw@h/db X-Api-Key: AKIAIOSFODNN7EXAMPLE"},
		{"long-traceback", strings.Repeat(`  File "/usr/lib/python3/dist-packages/django/core/handlers/exception.py", line 47, in inner `, 40)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.line)))
			b.ReportAllocs()
			for b.Loop() {
				String(c.line)
			}
		})
	}
}

func TestKeyValue(t *testing.T) {
	cases := []struct{ k, v, want string }{
		{"password", "hunter2", Mask},
		{"db_password", "hunter2", Mask},
		{"csrf_cookie", "maybe", "maybe"},
		{"csrf_cookie", "a1b2c3d4e5f6", Mask},
		{"refresh-token", "abc123", Mask},
		{"session", "None", "None"},
		{"session", "k3j4h5g6f7d8s9a0", Mask},
		{"TEST_USER_POOL", "a:pw1,b:pw2", "a:" + Mask + ",b:" + Mask},
		{"url", "postgres://u:pw@h/db", "postgres://u:" + Mask + "@h/db"},
		{"error", "query_wait_timeout", "query_wait_timeout"},
		{"client", "127.0.0.1:44202", "127.0.0.1:44202"},
		{"PGPASSWORD", "x", Mask},
		{"HTTP_AUTHORIZATION", "Bearer abc", Mask},
		{"key", "name", "name"},
		{"note", "token " + jwt, "token " + Mask},
	}
	for _, c := range cases {
		if got := KeyValue(c.k, c.v); got != c.want {
			t.Errorf("KeyValue(%q, %q) = %q, want %q", c.k, c.v, got, c.want)
		}
	}
}

// TestMayHoldAgreesOnRandomText: the pre-check (and FirstTrigger) read the
// pairs eight bytes at a time, with a tail loop for what is left; on
// random text over the triggers' bytes (so that pairs and triggers hit
// often, at every offset and every line length) they say what the plain
// scans say.
func TestMayHoldAgreesOnRandomText(t *testing.T) {
	const alphabet = "passwordPASSWORDtokenTOKENsecretkeyKEYauthcredsessioncookieuser_pool:/eyJAKIASIAIzaghp_oushrgithub_glpatdtcbsk_liverkwhxoxbarenmpyi- =.0123456789"
	rng := rand.New(rand.NewPCG(1, 2))
	var b []byte
	for range 300_000 {
		b = b[:0]
		for n := rng.IntN(40); len(b) < n; {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		agreesWithPlainScans(t, "", string(b))
	}
}

// TestMayHoldAgreesOnCorpus: on every line of the real corpus, from each
// of its first eight offsets (every alignment of the eight-byte steps),
// the pre-check and FirstTrigger say what the plain scans say.
func TestMayHoldAgreesOnCorpus(t *testing.T) {
	root := "../../shared/corpus"
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus absent (%v)", err)
	}
	lines := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for line := range strings.Lines(string(data)) {
			lines++
			for k := 0; k < 8 && k <= len(line); k++ {
				agreesWithPlainScans(t, path+": ", line[k:])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lines == 0 {
		t.Fatal("no corpus line read")
	}
}
