package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// appendIndented gives json.Indent's bytes (what Encoder.SetIndent wrote)
// on the compact JSON an Encoder writes: every golden JSON document, and
// random values with empty and nested containers, escapes, quotes and
// brackets inside strings, non-ASCII text and numbers; so does an
// indentWriter given them in pieces.
func TestAppendIndentedIsEncodingJSONIndent(t *testing.T) {
	var docs [][]byte
	golden, _ := filepath.Glob("../pipeline/testdata/golden/*.json")
	for _, g := range golden {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		var c bytes.Buffer
		if err := json.Compact(&c, b); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		docs = append(docs, append(c.Bytes(), '\n'))
	}
	if len(golden) == 0 {
		t.Fatal("no golden JSON documents found")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(randomJSON(rng, 0)); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, buf.Bytes())
	}
	for _, d := range docs {
		var want bytes.Buffer
		if err := json.Indent(&want, d, "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := appendIndented(nil, d); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("indented differently:\n got %q\nwant %q", got, want.Bytes())
		}
		// Written in pieces (a string or an escape cut in two), as an
		// indentWriter is when the document outgrows a piece.
		var got bytes.Buffer
		iw := &indentWriter{w: &got}
		for rest := d; len(rest) > 0; {
			n := min(len(rest), 1+rng.IntN(7))
			iw.Write(rest[:n])
			rest = rest[n:]
		}
		if err := iw.flush(); err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("indented in pieces differently (%v):\n got %q\nwant %q", err, got.Bytes(), want.Bytes())
		}
	}
}

func randomJSON(rng *rand.Rand, depth int) any {
	strs := []string{"", "a", `q"uote`, `back\slash`, "{[,:]}", "ünï €", "line\nbreak\t", "<html>&", `\"`, "\x01"}
	switch k := rng.IntN(8); {
	case depth > 4 || k == 0:
		return strs[rng.IntN(len(strs))]
	case k == 1:
		return rng.Float64()*1e6 - 5e5
	case k == 2:
		return []any{}
	case k == 3:
		return map[string]any{}
	case k == 4:
		return rng.IntN(3) == 0
	case k == 5:
		return nil
	case k == 6:
		var a []any
		for range rng.IntN(4) {
			a = append(a, randomJSON(rng, depth+1))
		}
		return a
	}
	m := map[string]any{}
	for i := range rng.IntN(4) {
		m[strings.Repeat(strs[rng.IntN(len(strs))], 1)+string(rune('a'+i))] = randomJSON(rng, depth+1)
	}
	return m
}
