package correlate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestDrainTemplates(t *testing.T) {
	var msgs []string
	for i := range 93 {
		msgs = append(msgs, fmt.Sprintf("C-0x555ee7b7%04x: rabdb/rabapp@127.0.0.1:%d pooler error: query_wait_timeout", i, 44000+i))
	}
	for i := range 20 {
		msgs = append(msgs, fmt.Sprintf("login_server_error username=tester%03d status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown", i))
	}
	users := []string{"alice", "bob", "carol", "dave"}
	for i := range 8 {
		msgs = append(msgs, fmt.Sprintf("Forbidden (CSRF token missing.): /api/%s/", users[i%4]))
	}
	msgs = append(msgs, "got SIGTERM, fast exit")
	d := NewDrain()
	for _, m := range msgs {
		d.Add(maskText(m))
	}
	got := map[string]int64{}
	for _, c := range d.Clusters() {
		got[c.Template()] = c.Count
	}
	want := map[string]int64{
		"C-<*>: rabdb/rabapp@<*>.<*>.<*>.<*>:<*> pooler error: query_wait_timeout":                                93,
		"login_server_error username=<*> status=<*> url=http://<*>.<*>.<*>.<*>:<*>/accounts/login/ error=unknown": 20,
		"Forbidden (CSRF token missing.): <*>":                                                                    8,
		"got SIGTERM, fast exit":                                                                                  1,
	}
	if len(got) != len(want) {
		t.Errorf("got %d templates, want %d: %v", len(got), len(want), got)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("template %q: count %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

func TestDrainKeepsDifferentMessagesApart(t *testing.T) {
	d := NewDrain()
	a := d.Add("closing because: client close request (age=<*>)")
	b := d.Add("closing because: query_wait_timeout (age=<*>)")
	c := d.Add("closing because: client close request (age=<*>)")
	if a == b {
		t.Errorf("different reasons merged: %q", a.Template())
	}
	if a != c {
		t.Errorf("identical messages split")
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/api/project/17/rekap-kebutuhan/", "/api/project/<*>/rekap-kebutuhan/"},
		{"Unhandled exception [EBA505A1]: query_wait_timeout", "Unhandled exception [<*>]: query_wait_timeout"},
		{"age=120s", "age=<*>"},
		{"no numbers here", "no numbers here"},
	}
	for _, tc := range tests {
		if got := maskText(tc.in); got != tc.want {
			t.Errorf("maskText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The memo (a message met before joins its cluster again while its leaf
// is unchanged) gives what Drain's step gives every time: same cluster
// per message, same templates, counts and creation order, including when
// clusters gain wildcards, a leaf fills up and full nodes send tokens
// under the wildcard.
func TestDrainMemoIsDrain(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	words := []string{"a", "b", "c", "d", "x1", "<*>", "e", "f"}
	for trial := range 200 {
		memo := &Drain{Depth: 3 + trial%3, Sim: []float64{0.4, 0.5, 0.75, 1}[trial%4], MaxChildren: 1 + trial%4}
		plain := &Drain{Depth: memo.Depth, Sim: memo.Sim, MaxChildren: memo.MaxChildren}
		var seen []string
		for i := range 300 {
			var msg string
			if len(seen) > 0 && rng.IntN(3) > 0 {
				msg = seen[rng.IntN(len(seen))]
			} else {
				n := rng.IntN(5)
				toks := make([]string, n)
				for j := range toks {
					toks[j] = words[rng.IntN(len(words))]
				}
				msg = strings.Join(toks, " ")
				seen = append(seen, msg)
			}
			var got *DrainCluster
			if i%2 == 0 {
				got = memo.Add(msg)
			} else {
				got = memo.addMasked([]byte(msg))
			}
			_, want := plain.file(msg)
			if got.ID != want.ID {
				t.Fatalf("trial %d, message %d %q: cluster %d, Drain's step gives %d", trial, i, msg, got.ID, want.ID)
			}
		}
		if len(memo.Clusters()) != len(plain.Clusters()) {
			t.Fatalf("trial %d: %d clusters, want %d", trial, len(memo.Clusters()), len(plain.Clusters()))
		}
		for i, c := range memo.Clusters() {
			w := plain.Clusters()[i]
			if c.Template() != w.Template() || c.Count != w.Count {
				t.Fatalf("trial %d cluster %d: %q ×%d, want %q ×%d", trial, i, c.Template(), c.Count, w.Template(), w.Count)
			}
		}
	}
}

// A leaf holds at most MaxLeafClusters templates: a message like none of
// a full leaf's joins its one overflow template, whose differing tokens
// become the wildcard, so the work per message stays bounded and every
// message is still counted once.
func TestDrainLeafIsBounded(t *testing.T) {
	d := NewDrain()
	d.Depth, d.MaxLeafClusters = 3, 3 // one leaf per first token
	msgs := []string{
		"Unexpected alpha bravo charlie", // the first three: templates of their own
		"Unexpected delta echo foxtrot",
		"Unexpected golf hotel india",
		"Unexpected juliet kilo lima", // full: the overflow template
		"Unexpected mike november oscar",
		"Unexpected alpha bravo charlie", // still its own template's
		"Unexpected papa quebec romeo",
	}
	var got []int
	for _, m := range msgs {
		got = append(got, d.Add(m).ID)
	}
	if want := []int{0, 1, 2, 3, 3, 0, 3}; !slices.Equal(got, want) {
		t.Fatalf("clusters %v, want %v", got, want)
	}
	cs := d.Clusters()
	if len(cs) != 4 {
		t.Fatalf("%d templates, want 4", len(cs))
	}
	if tpl := cs[3].Template(); tpl != "Unexpected <*> <*> <*>" || cs[3].Count != 3 {
		t.Errorf("overflow %q ×%d, want \"Unexpected <*> <*> <*>\" ×3", tpl, cs[3].Count)
	}
	var n int64
	for _, c := range cs {
		n += c.Count
	}
	if n != int64(len(msgs)) {
		t.Errorf("%d messages counted, want %d", n, len(msgs))
	}
	// Another leaf (another length) has room of its own.
	if c := d.Add("Unexpected sierra tango"); c.ID != 4 {
		t.Errorf("a two-word message joined %d, want a new template 4", c.ID)
	}
}

// appendFields splits as strings.Fields does: ASCII and Unicode white
// space, runs of it, invalid UTF-8.
func TestAppendFieldsIsStringsFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", "  a  b\tc\n\v\f\r", "GET /accounts/login/ 200 1272",
		"x\u00a0y\u2003z", "\u0085lead", "trail\u3000", "a\xffb c", "\xff \xfe", "é  ü",
		"C-0x55d4: app/app@127.0.0.1:40312 closing because: query_wait_timeout (age=120s)",
	} {
		if got, want := appendFields(nil, s), strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("appendFields(%q) = %q, strings.Fields %q", s, got, want)
		}
	}
	if got := appendFields([]string{"kept"}, "a b"); !slices.Equal(got, []string{"kept", "a", "b"}) {
		t.Errorf("appendFields appends: got %q", got)
	}
}

func FuzzAppendFields(f *testing.F) {
	f.Add("a b\u00a0c")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendFields(nil, s), strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("appendFields(%q) = %q, strings.Fields %q", s, got, want)
		}
	})
}

// maskByByte is maskText as first written, a byte at a time: the
// reference the table-driven appendMask must agree with.
func maskByByte(s string) string {
	word := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
	}
	var dst []byte
	for i := 0; i < len(s); {
		if !word(s[i]) {
			dst = append(dst, s[i])
			i++
			continue
		}
		j, digit := i, false
		for ; j < len(s) && word(s[j]); j++ {
			digit = digit || s[j] >= '0' && s[j] <= '9'
		}
		if digit {
			dst = append(dst, Wildcard...)
		} else {
			dst = append(dst, s[i:j]...)
		}
		i = j
	}
	return string(dst)
}

func FuzzMaskText(f *testing.F) {
	for _, s := range []string{"", "a1", "C-0x55e7: rabdb/rabapp@127.0.0.1:49878 pooler error: query_wait_timeout",
		"tester050 logged in", "é9 ü_", "__init__ 0", `"GET /api/project/45/ HTTP/1.1" 500 145`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := maskText(s), maskByByte(s); got != want {
			t.Errorf("maskText(%q) = %q, byte by byte %q", s, got, want)
		}
		if got := string(appendMask([]byte("kept "), s)); got != "kept "+maskByByte(s) {
			t.Errorf("appendMask must append: got %q", got)
		}
	})
}
