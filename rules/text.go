package rules

// Small text and number helpers for summaries and evidence notes.

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// matches runs a fixed pattern; a timeout (impossible for the built-in
// patterns on bounded lines) counts as no match.
func matches(re interface{ MatchString(string) (bool, error) }, s string) bool {
	ok, err := re.MatchString(s)
	return err == nil && ok
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// countBy counts strings and returns "a (3), b (1)" ordered by count
// desc, then name, at most max entries.
func countBy(m map[string]int64, max int) string {
	type kv struct {
		k string
		v int64
	}
	var kvs []kv
	for k, v := range m {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	var parts []string
	for i, e := range kvs {
		if i == max {
			parts = append(parts, "+"+strconv.Itoa(len(kvs)-max)+" more")
			break
		}
		parts = append(parts, e.k+" ("+humanize.Thousands(e.v)+")")
	}
	return strings.Join(parts, ", ")
}

// maxPerFile returns the largest per-file count: the same record often
// reaches two files (django_errors.log and runserver stderr through the
// console handler), so the per-file maximum is the honest total.
func maxPerFile(perFile map[string]int64) (int64, []string) {
	var best int64
	var files []string
	for f, n := range perFile {
		if n > best {
			best = n
		}
		files = append(files, f)
	}
	sort.Strings(files)
	return best, files
}

func fmtTime(t time.Time) string { return t.UTC().Format("15:04:05Z") }

// templatePath masks numeric path segments the way Locust request names
// do (/api/project/13/pricing/ → /api/project/[id]/pricing/), so endpoint
// counts group like the CSV's rows.
func templatePath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i] // query strings vary per request; the template drops them
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s == "" {
			continue
		}
		if isNumeric(s) || isUUID(s) {
			segs[i] = "[id]"
		}
	}
	return strings.Join(segs, "/")
}

func isNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// containsAny is the plain-Go filter run before a regexp2 pattern whose
// every match contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func sharePct(p float64) string {
	if p < 10 {
		return fmt.Sprintf("%.1f %%", p)
	}
	return fmt.Sprintf("%.0f %%", p)
}

func minMax(xs []int64) (int64, int64) {
	s := append([]int64(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[0], s[len(s)-1]
}

func firstOf(lists ...[]correlate.Event) *correlate.Event {
	for _, l := range lists {
		if len(l) > 0 {
			return &l[0]
		}
	}
	return nil
}

func first(ev []Evidence) []Evidence {
	if len(ev) == 0 {
		return nil
	}
	return ev[:1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Evidence for test-validity findings is cited with evidence.go's helpers
// (the row as Locust wrote it), with a note on why the line matters.

func fmtMS(p *float64) string {
	if p == nil {
		return "N/A"
	}
	return fmtNum(*p)
}

func fmtNum(f float64) string {
	if math.IsNaN(f) {
		return "N/A"
	}
	if isWhole(f) {
		return strconv.FormatInt(int64(math.Round(f)), 10)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

func pct(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) * 100 / float64(b)
}

func rowLabel(s *parsers.StatRow) string {
	if model.IsAggregated(s) {
		return "Aggregated"
	}
	return strings.TrimSpace(s.Type + " " + s.Name)
}

func isWhole(f float64) bool { return math.Abs(f-math.Round(f)) < 1e-6 }

// sortRowsByRequests orders rows by request count (most first), then name.
func sortRowsByRequests(rows []*parsers.StatRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Requests != rows[j].Requests {
			return rows[i].Requests > rows[j].Requests
		}
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		return rows[i].Type < rows[j].Type
	})
}

func containsRow(rows []*parsers.StatRow, s *parsers.StatRow) bool {
	for _, r := range rows {
		if r == s {
			return true
		}
	}
	return false
}

// scaledSeverity lowers a rule's severity when what it found touched a
// small share of the run: a 0.2 % blip is not "high". affected counts the
// requests concerned, total the run's; logins reports whether at least a
// tenth of the run's login POSTs were among them (that alone keeps the
// severity: users who fail to log in test nothing). Below 0.5 % of the
// requests: low; below 2 %: at most medium.
func scaledSeverity(base Severity, affected, total int64, logins bool) string {
	if total <= 0 || logins {
		return base.String()
	}
	share := float64(affected) / float64(total)
	switch {
	case share < 0.005 && base > Low:
		return Low.String()
	case share < 0.02 && base > Medium:
		return Medium.String()
	}
	return base.String()
}

// loginShare is the share of the run's login POST requests among n
// failures of the named rows.
func loginsAffected(r *correlate.Run, byName map[string]int64) bool {
	_, post := model.LoginRows(r)
	if post == nil || post.Requests == 0 {
		return false
	}
	return byName[post.Name]*10 >= post.Requests
}

// wordSet finds whether a text holds any of a few words in one pass,
// after Wu and Manber's multi-pattern search ("A fast algorithm for
// multi-pattern searching", 1994): a window as long as the shortest word
// slides over the text; the pair of bytes that ends it says how far the
// window may jump before it could end on the first len(shortest) bytes of
// a word (shift), and only where that is 0 are the words whose start ends
// with that pair compared. In log text most windows jump several bytes,
// where a scan of every position (or strings.Contains once per word)
// reads every byte at least once.
type wordSet struct {
	m     int              // the shortest word's length
	shift [1 << 16]uint8   // by the window's last pair; min(m-1, ...)
	ends  map[uint16][]int // words (indices) whose m-byte start ends with the pair
	words []string
	short bool // a word of one byte: no pair to search on
}

func newWordSet(words []string) *wordSet {
	ws := &wordSet{words: words, ends: map[uint16][]int{}}
	for _, w := range words {
		if len(w) < 2 {
			ws.short = true
			return ws
		}
		if ws.m == 0 || len(w) < ws.m {
			ws.m = len(w)
		}
	}
	if len(words) == 0 {
		return ws
	}
	// A window (m bytes) ending at a pair that ends no word's m-byte start
	// before its last q bytes may jump m-1 bytes at most.
	maxShift := uint8(min(ws.m-1, 255))
	for i := range ws.shift {
		ws.shift[i] = maxShift
	}
	for wi, w := range words {
		for q := 0; q+1 < ws.m; q++ {
			pair := uint16(w[q])<<8 | uint16(w[q+1])
			if sh := uint8(min(ws.m-2-q, 255)); sh < ws.shift[pair] {
				ws.shift[pair] = sh
			}
		}
		last := uint16(w[ws.m-2])<<8 | uint16(w[ws.m-1])
		ws.ends[last] = append(ws.ends[last], wi)
	}
	return ws
}

// in reports whether s holds one of the words (as containsAny would).
// A word at p puts a window's end at p+m-1; every jump is at most the
// distance to the next end at which some word's start could end, so that
// window is looked at.
func (ws *wordSet) in(s string) bool {
	if ws.short {
		return containsAny(s, ws.words)
	}
	if ws.m == 0 {
		return false
	}
	for pos := ws.m - 1; pos < len(s); {
		pair := uint16(s[pos-1])<<8 | uint16(s[pos])
		if sh := ws.shift[pair]; sh > 0 {
			pos += int(sh)
			continue
		}
		start := pos - ws.m + 1
		for _, wi := range ws.ends[pair] {
			if strings.HasPrefix(s[start:], ws.words[wi]) {
				return true
			}
		}
		pos++
	}
	return false
}

// literalFilter rules texts out before a case-insensitive pattern of
// plain words (rateLimitRE) is run on them: an ASCII text can match
// only if it holds, in ASCII case folding, the ASCII start of one of the
// words. A text with any other byte is always run (Unicode folding can
// match an ASCII letter with another one: the Kelvin sign's k), and so is
// every text when a word is not plain (a metacharacter, or no ASCII
// start).
type literalFilter struct {
	needles [][]byte // lower-case; nil: no filter
}

func newLiteralFilter(texts []Pattern) literalFilter {
	var f literalFilter
	for _, t := range texts {
		if t.src == "" {
			continue
		}
		if strings.ContainsAny(t.src, `\*+?|{}[]()^$.#`) {
			return literalFilter{}
		}
		n := t.src
		for i := 0; i < len(n); i++ {
			if n[i] >= utf8.RuneSelf {
				n = n[:i]
				break
			}
		}
		if n == "" {
			return literalFilter{}
		}
		f.needles = append(f.needles, []byte(strings.ToLower(n)))
	}
	return f
}

// asciiLower maps an ASCII byte to its lower case.
var asciiLower = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
		if c >= 'A' && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// mayMatch reports whether s may match; low is a scratch buffer.
func (f literalFilter) mayMatch(s string, low *[]byte) bool {
	if f.needles == nil {
		return true
	}
	// Lower-cased into a buffer sized once, by a table: a store a byte,
	// not an append.
	b := slices.Grow((*low)[:0], len(s))[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return true
		}
		b[i] = asciiLower[c]
	}
	*low = b
	for _, n := range f.needles {
		if bytes.Contains(b, n) {
			return true
		}
	}
	return false
}

// alternation joins plain word patterns into one alternation (each is a
// literal: newLiteralFilter would refuse it otherwise).
func alternation(ps []Pattern) string {
	srcs := make([]string, len(ps))
	for i, p := range ps {
		srcs[i] = p.src
	}
	return strings.Join(srcs, "|")
}
