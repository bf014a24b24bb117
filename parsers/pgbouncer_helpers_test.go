package parsers

import (
	"os"
	"path/filepath"
	"testing"
)

// pgbParseText writes text to a temporary file and parses it.
func pgbParseText(t testing.TB, text string, opt Options) *Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "input.log")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	res := ParseFile(path, "input.log", opt)
	if res.Audit.Error != "" {
		t.Fatal(res.Audit.Error)
	}
	return res
}

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

func pgbSameMap(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
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
