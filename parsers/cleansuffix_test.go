package parsers

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/logcorr/logcorr/redact"
)

// checkCleanSuffixes checks cleanSuffix's promise on line s: every suffix
// it calls clean is one the redactor leaves as it is.
func checkCleanSuffixes(t testing.TB, s []byte) (clean int) {
	out := redacted(s, nil)
	for p := 0; p < len(s); p++ {
		m := append([]byte(nil), s[p:]...)
		if !cleanSuffix(s, out, m) {
			continue
		}
		clean++
		if got := redact.String(string(m)); got != string(m) {
			t.Fatalf("line %q: suffix %q called clean, redacted to %q", s, m, got)
		}
	}
	return clean
}

// The lines of the hostile secrets fixture and every message shape the
// redactor masks: a suffix of a line with nothing to mask is never one
// with something to mask.
func TestCleanSuffixIsClean(t *testing.T) {
	lines := [][]byte{
		[]byte("2026-11-29 20:26:32,352 DEBUG auth_debug auth_request method=GET path=/accounts/login/ user=anon session=None ip=127.0.0.1"),
		[]byte("see https://user:hunter2@db.example/x token=abc"),
		[]byte("x://y password=s3cretvalue1"),
		[]byte("a: b ://host:pw@x/ key: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"),
		[]byte("WARNING invalid entry (missing ':password'): 'bob;pw' then more"),
		[]byte("invalid entry x y): 'bob;pw'"),
		[]byte("Authorization: Bearer abcdef123456 next"),
		[]byte("ok line with nothing"),
		[]byte("session_key passwordless authenticated user_pool"),
	}
	for _, name := range []string{"../testdata/hostile/planted_secrets_runserver.err.log", "../testdata/hostile/mixed_crlf_auth_debug.log"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, append([]byte(nil), sc.Bytes()...))
		}
		f.Close()
	}
	samples, _ := filepath.Glob("../samples/*/logs/*.log")
	for _, name := range samples {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range bytes.Split(b, []byte("\n")) {
			if i < 300 {
				lines = append(lines, l)
			}
		}
	}
	clean := 0
	for _, l := range lines {
		clean += checkCleanSuffixes(t, l)
	}
	if clean == 0 {
		t.Fatal("no suffix was called clean: the check is not exercised")
	}
}

func FuzzCleanSuffix(f *testing.F) {
	for _, s := range []string{"a token=abc def", "x://u:p@h y z", "invalid entry (m): 'a;b' c", "p key: eyJabc.def.ghi", "Cookie: a=b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkCleanSuffixes(t, []byte(s))
	})
}

// checkMemoLine checks that redacting a line from before its first
// trigger word on, through the memo, gives what redacting it whole gives:
// the same bytes and the same counts, the first time and when remembered.
func checkMemoLine(t testing.TB, mm *redactMemo, s []byte) {
	var want, got redact.Counts
	w := redacted(append([]byte(nil), s...), &want)
	for range 2 {
		got = redact.Counts{}
		g := mm.line(append([]byte(nil), s...), &got)
		if string(g) != string(w) || got != want {
			t.Fatalf("line %q: %q %v, want %q %v", s, g, got, w, want)
		}
	}
}

func TestMemoLineIsRedacted(t *testing.T) {
	var mm redactMemo
	lines := [][]byte{
		[]byte("2026-11-29 20:26:32,352 DEBUG auth_debug auth_request method=GET path=/accounts/login/ user=anon session=abc123def456ghi789 ip=127.0.0.1"),
		[]byte("2026-11-29 20:26:33,352 DEBUG auth_debug auth_request method=GET path=/accounts/login/ user=anon session=abc123def456ghi789 ip=127.0.0.1"),
		[]byte("t0 x password=hunter2 y"),
		[]byte("t0 https://u:pw@h/x"),
		[]byte("a b token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdef"),
		[]byte("x WARNING invalid entry (missing ':password'): 'bob;pw'"),
		[]byte("pass=1 at the start"),
		[]byte("no spaces:password=abc"),
	}
	for _, name := range []string{"../testdata/hostile/planted_secrets_runserver.err.log", "../testdata/hostile/mixed_crlf_auth_debug.log"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, bytes.Split(b, []byte("\n"))...)
	}
	samples, _ := filepath.Glob("../samples/*/logs/*.log")
	for _, name := range samples {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, bytes.Split(b, []byte("\n"))...)
	}
	for _, l := range lines {
		checkMemoLine(t, &mm, l)
	}
	if len(mm.m) == 0 {
		t.Fatal("no line went through the memo: the check is not exercised")
	}
}

func FuzzMemoLine(f *testing.F) {
	for _, s := range []string{"t DEBUG auth_debug session=abcdefabcdef123", "a b://u:p@h", "x y): 'a;b' invalid entry", "z key: AKIAABCDEFGHIJKLMNOP", "q Cookie: a=b c", "w pass"} {
		f.Add(s)
	}
	var mm redactMemo
	f.Fuzz(func(t *testing.T, s string) {
		checkMemoLine(t, &mm, []byte(s))
	})
}
