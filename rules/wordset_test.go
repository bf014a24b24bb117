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

// Every word of the database-unreachable rule is found wherever it lies in
// a text, whichever pair it is anchored on, and a text missing a byte of
// it is not matched: the set answers containsAny on every cut.
func TestWordSetAnchorsFindEveryPosition(t *testing.T) {
	ws := newWordSet(dbUnreachableWords)
	for _, w := range dbUnreachableWords {
		for _, pad := range []string{"", "x", "C-0x55e7: rabdb/rabapp@127.0.0.1:49422 "} {
			for _, s := range []string{pad + w, w + pad, pad + w + pad, pad + w[1:], pad + w[:len(w)-1]} {
				if got, want := ws.in(s), containsAny(s, dbUnreachableWords); got != want {
					t.Errorf("%q: %v, containsAny says %v", s, got, want)
				}
			}
		}
	}
}
