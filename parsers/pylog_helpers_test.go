package parsers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// pyParse writes text to a temporary file named name and parses it as
// format ("" detects).
func pyParse(t testing.TB, name, text, format string) *Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	res := ParseFile(path, name, Options{Format: format})
	if res.Audit.Error != "" {
		t.Fatal(res.Audit.Error)
	}
	if !res.Audit.Balanced() {
		t.Fatalf("%s: accounting unbalanced: %+v", name, res.Audit)
	}
	return res
}

// pyCorpusRoot is the stack corpus, relative to this package.
var pyCorpusRoot = filepath.Join("..", "..", "shared", "corpus", "stack")

// pyCorpus lists the stack scenarios' logs/<base> files that exist and are
// non-empty, skipping when the corpus is absent.
func pyCorpus(t testing.TB, base string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(pyCorpusRoot, "*", "logs", base))
	var out []string
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Skipf("corpus absent: no non-empty %s/*/logs/%s", pyCorpusRoot, base)
	}
	return out
}

// pyTruth reads the scenario's truth.json (the answer key; tests only).
func pyTruth(t testing.TB, logFile string) map[string]any {
	t.Helper()
	p := filepath.Join(filepath.Dir(filepath.Dir(logFile)), "truth.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("no truth.json next to %s: %v", logFile, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return m
}

// pyCount digs a number out of truth.json by keys.
func pyCount(t testing.TB, m map[string]any, keys ...string) int64 {
	t.Helper()
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("truth.json: %v: not an object at %q", keys, k)
		}
		v = mm[k]
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("truth.json: %v: not a number (%v)", keys, v)
	}
	return int64(f)
}

// pyCountKinds counts events by kind.
func pyCountKinds(evs []Event) map[string]int64 {
	m := map[string]int64{}
	for _, e := range evs {
		m[e.Kind]++
	}
	return m
}
