package rules

import "testing"

// wordSet answers what containsAny answers, on texts with and without the
// words, at every position.
func TestWordSet(t *testing.T) {
	words := []string{"pg_hba", "Connection refused", "no server", "does not exist"}
	ws := newWordSet(words)
	for _, s := range []string{"", "p", "pg_hb", "xx pg_hba", "pg_hba", "Connection refuse", "FATAL: no server", "nothing here at all",
		"database \"x\" does not exist.", "Connection Refused", "no serve"} {
		if got, want := ws.in(s), containsAny(s, words); got != want {
			t.Errorf("%q: %v, containsAny says %v", s, got, want)
		}
	}
	one := newWordSet([]string{"x", "abc"})
	if !one.in("..x..") || one.in("ab") {
		t.Error("a one-byte word is not found")
	}
}
