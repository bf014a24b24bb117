package parsers

import (
	"path/filepath"
	"testing"
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
