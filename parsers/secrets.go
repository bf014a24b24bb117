package parsers

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unsafe"

	"github.com/logcorr/logcorr/redact"
)

// Secrets are masked in every text column of a file's rows and in its
// audit, so that no output written from the tables (terminal, markdown,
// JSON, Arrow, Parquet, JSONL) can leak them. Numeric columns and names
// the parsers produce themselves (methods, formats, levels, file paths)
// cannot hold secrets and are left. Locust request names can: a locustfile
// that requests a URL with a query string and no name= gets stats rows
// named "/reset/?token=...".
//
// What was masked is counted per kind in Audit.Redacted, over the columns
// that carry the file's own text once (a record's line and traceback, a
// request name, an error), so a value quoted again in a derived column
// (the message cut from a line) is counted once.

// redactedKinds lists counts as "jwt ×2, password ×1", by kind name.
func redactedKinds(m map[string]int64) string {
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for i, k := range kinds {
		kinds[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(kinds, ", ")
}

// Redaction, one row at a time. The redactor takes strings and returns its
// argument itself when nothing was masked, so the row's bytes are viewed as
// strings (no copy) and replaced only when something was.

// redacted returns b with secrets masked (counted into n unless nil).
func redacted(b []byte, n *redact.Counts) []byte {
	if len(b) == 0 {
		return b
	}
	s := bstring(b)
	out := redact.Count(s, n)
	if len(out) == len(s) && unsafe.StringData(out) == unsafe.StringData(s) {
		return b
	}
	return []byte(out)
}

// redactRow masks secrets in every text field of an events row, as
// redactResult always did.
func (c *Context) redactRow(r *evRow) {
	// Every field of a one-line record is cut from its text: when the
	// line holds no trigger word, none of them can hold a secret.
	// The first trigger's place is found once: it answers the pre-check
	// (-1: none) and tells line where to start.
	first := -1
	if r.EndLine == r.Line && len(r.Text) > 0 {
		if first = redact.FirstTrigger(bstring(r.Text)); first < 0 {
			return
		}
	}
	n := &c.checks.counts
	text := r.Text
	if r.EndLine == r.Line {
		r.Text = c.memo.lineFrom(r.Text, first, n)
	} else {
		r.Text = c.memo.redacted(r.Text, n)
	}
	r.Traceback = c.memo.redacted(r.Traceback, n)
	if cleanSuffix(text, r.Text, r.Message) {
		// The message is the end of a line that held nothing to mask.
	} else if first, rest, multi := strings.Cut(bstring(r.Message), "\n"); multi {
		// Lines of a message past its first are in no other column.
		f, rs := redact.String(first), redact.Count(rest, n)
		if f != first || rs != rest {
			r.Message = []byte(f + "\n" + rs)
		}
	} else {
		r.Message = redacted(r.Message, nil)
	}
	r.ExcMessage, r.Path = redacted(r.ExcMessage, nil), redacted(r.Path, nil)
	r.ExcType, r.ExcFrame, r.User, r.Logger = redacted(r.ExcType, nil), redacted(r.ExcFrame, nil), redacted(r.User, nil), redacted(r.Logger, nil)
	redactKVs(&r.Attrs)
}

// redactMemo remembers what redaction made of long texts a file repeats:
// a load test's errors print the same traceback hundreds of times, and
// looking one up costs a hash of its bytes, not a scan of its tokens.
// Redaction is a function of the text alone, so a remembered result (and
// the masks it counted) is the one a scan would give.
type redactMemo struct {
	m     map[string]memoEntry
	bytes int // kept bytes (keys and masked copies), at most memoMaxBytes
}

type memoEntry struct {
	out    []byte // the masked text; nil when nothing was masked
	counts redact.Counts
}

// Texts shorter than memoMinBytes are scanned every time (a single line
// seldom repeats, and costs little); memoMaxBytes bounds what one file's
// parse keeps.
const (
	memoMinBytes = 256
	memoMaxBytes = 1 << 20
)

// redacted is redacted(b, n) through the memo.
func (mm *redactMemo) redacted(b []byte, n *redact.Counts) []byte {
	if len(b) < memoMinBytes {
		return redacted(b, n)
	}
	return mm.lookup(b, n)
}

// line is redacted(b, n) for one line of a log: the redactor masks nothing
// before the first trigger word, so the line is redacted from the last
// space before it on, and that rest (the record's logger and message,
// without the time that makes every line differ) goes through the memo.
// The token scan only looks ahead and stands at every byte outside a
// token up to the first trigger, so from that space on it decides as it
// would on the rest alone; a malformed pool entry's quote, the one step
// that searches the whole text, sends the line the long way.
func (mm *redactMemo) line(b []byte, n *redact.Counts) []byte {
	if len(b) == 0 {
		return b
	}
	return mm.lineFrom(b, redact.FirstTrigger(bstring(b)), n)
}

// lineFrom is line for a line whose first trigger is at t (FirstTrigger,
// -1 for none), found by a caller that needed it already.
func (mm *redactMemo) lineFrom(b []byte, t int, n *redact.Counts) []byte {
	if len(b) == 0 || t < 0 {
		return b
	}
	q := 0
	if t > 0 {
		q = bytes.LastIndexByte(b[:t], ' ') + 1
	}
	if q == 0 || bytes.Contains(b, poolEntryQuote) {
		return mm.redacted(b, n)
	}
	rest := b[q:]
	out := mm.lookup(rest, n)
	if len(out) == len(rest) && unsafe.SliceData(out) == unsafe.SliceData(rest) {
		return b
	}
	return append(append(make([]byte, 0, q+len(out)), b[:q]...), out...)
}

// lookup is redacted(b, n), remembered while the memo has room.
func (mm *redactMemo) lookup(b []byte, n *redact.Counts) []byte {
	if e, ok := mm.m[bstring(b)]; ok {
		addCounts(n, &e.counts)
		if e.out == nil {
			return b
		}
		return e.out
	}
	var counts redact.Counts
	out := redacted(b, &counts)
	addCounts(n, &counts)
	e := memoEntry{counts: counts}
	if len(out) != len(b) || unsafe.SliceData(out) != unsafe.SliceData(b) {
		e.out = out // a copy of its own, never written
	}
	if size := len(b) + len(e.out); mm.bytes+size <= memoMaxBytes {
		if mm.m == nil {
			mm.m = map[string]memoEntry{}
		}
		mm.m[string(b)] = e
		mm.bytes += size
	}
	return out
}

func addCounts(n, add *redact.Counts) {
	if n == nil {
		return
	}
	for k, v := range add {
		n[k] += v
	}
}

// cleanSuffix reports whether m is sure to hold nothing to mask because
// it is the end of text s, which held nothing (out, s redacted, is s
// itself), and begins after a space. The redactor's token scan only looks
// ahead of where it stands, and on a line it masks nothing in it stands at
// every byte outside a token (past a "://" it skips only the ":/"), so
// from a space on it makes the same decisions in s as in the suffix: none.
// The one step that looks elsewhere, a malformed pool entry's quote, is
// checked for.
func cleanSuffix(s, out, m []byte) bool {
	if len(m) == 0 || len(m) > len(s) || len(out) != len(s) || unsafe.SliceData(out) != unsafe.SliceData(s) {
		return false
	}
	p := len(s) - len(m)
	return (p == 0 || s[p-1] == ' ') && bytes.Equal(s[p:], m) && !bytes.Contains(m, poolEntryQuote)
}

// poolEntryQuote starts a malformed TEST_USER_POOL entry in the message
// that warns of it (redact masks the password typed in it).
var poolEntryQuote = []byte("): '")

// redactKVs masks keys as text and values by their key, keeping keys
// unique (a masked key that meets another takes its place, as in a map).
func redactKVs(l *kvList) {
	kv := l.kv
	l.kv = l.kv[:0]
	// The keys are unique (set and add keep them so): until one is
	// masked, none can meet another, and the search set makes is skipped.
	masked := false
	for _, p := range kv {
		k := redacted(p.Key, nil)
		masked = masked || len(k) != len(p.Key) || unsafe.SliceData(k) != unsafe.SliceData(p.Key)
		v := p.Val
		if len(v) > 0 {
			ks, vs := bstring(k), bstring(v)
			if out := redact.KeyValue(ks, vs); len(out) != len(vs) || unsafe.StringData(out) != unsafe.StringData(vs) {
				v = []byte(out)
			}
		}
		if masked {
			l.set(k, v)
		} else {
			l.add(k, v)
		}
	}
}

func redactMap(m map[string]string) {
	for k, v := range m {
		rk := redact.String(k)
		if rk != k {
			delete(m, k)
			k = rk
		}
		m[k] = redact.KeyValue(k, v)
	}
}

// finishRedaction masks the audit's own text and counts what was masked.
func (c *Context) finishRedaction() {
	a, n := c.audit, &c.checks.counts
	for i := range a.UnparsedExamples {
		a.UnparsedExamples[i].Text = redact.Count(a.UnparsedExamples[i].Text, n)
	}
	for i := range a.Messages {
		a.Messages[i] = redact.String(a.Messages[i])
	}
	for i := range a.Warnings {
		a.Warnings[i] = redact.String(a.Warnings[i])
	}
	a.Redacted = n.Map()
	if total := n.Total(); total > 0 {
		a.Messages = append(a.Messages, fmt.Sprintf("%s: %d secret value(s) masked (%s); --no-redact keeps them", a.Path, total, redactedKinds(a.Redacted)))
	}
}
