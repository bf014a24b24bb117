package parsers

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/logcorr/logcorr/model/schema"
)

// pgbCorpus lists the stack scenarios' files of the given base name,
// skipping when the corpus is absent.
func pgbCorpus(t testing.TB, base string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "stack", "*", base))
	if len(files) == 0 {
		t.Skipf("corpus absent: no ../../shared/corpus/stack/*/%s", base)
	}
	return files
}

func pgbCheckMap(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s[%q] = %d, want %d", what, k, got[k], v)
		}
	}
}

// pgbLevelOf reads exactly the level words the vocabulary knows as
// PgBouncer prints them, and nothing else.
func TestPgbLevelOf(t *testing.T) {
	for _, l := range pgbLevels {
		want, ok := schema.LevelOf([]byte(l))
		if got := pgbLevelOf([]byte(l)); !ok || got != want || got == schema.LevelNone {
			t.Errorf("%s: %v, want %v", l, got, want)
		}
	}
	for _, w := range []string{"", "log", "INFO", "WARN", "LOGX", "DEBUG1", "C-0x1:"} {
		if got := pgbLevelOf([]byte(w)); got != schema.LevelNone {
			t.Errorf("%q: %v, want none", w, got)
		}
	}
}

// pgbLastAge is bytes.LastIndex for the age's marker, wherever the marker
// stands (or several, or a part of one at either end).
func TestPgbLastAge(t *testing.T) {
	for _, rs := range []string{"", " (age", " (age=", "client close request (age=0s)", " (age= (age=1s)", "x (age=1s) (age=2s)",
		"(age=1s)", "server idle timeout (age=12s) tail", " (ag (age=", "  (age=3)"} {
		if got, want := pgbLastAge([]byte(rs)), bytes.LastIndex([]byte(rs), []byte(" (age=")); got != want {
			t.Errorf("pgbLastAge(%q) = %d, bytes.LastIndex says %d", rs, got, want)
		}
	}
}
