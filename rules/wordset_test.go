package rules

import (
	"math/rand/v2"
	"strings"
	"testing"
)

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
// a text (first, last, padded on either side), and a text missing a byte
// of it is not matched: the set answers containsAny on every cut.
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

// On random texts over the words' own bytes (so that near-misses and
// overlaps are frequent), the set answers containsAny, for word lists
// with short and long, shared and overlapping words.
func TestWordSetOnRandomTexts(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	lists := [][]string{dbUnreachableWords, {"ab", "abc", "bca"}, {"aaa", "aab"}, {"pg_hba", "no server", "server login"}, {"xy"}}
	for _, words := range lists {
		ws := newWordSet(words)
		alphabet := strings.Join(words, "") + " ."
		for range 3000 {
			b := make([]byte, rng.IntN(40))
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			s := string(b)
			if rng.IntN(4) == 0 {
				w := words[rng.IntN(len(words))]
				at := rng.IntN(len(s) + 1)
				s = s[:at] + w + s[at:]
			}
			if got, want := ws.in(s), containsAny(s, words); got != want {
				t.Fatalf("words %q, text %q: %v, containsAny says %v", words, s, got, want)
			}
		}
	}
}
