package correlate

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/logcorr/logcorr/model/schema"
)

// maskText replaces every word holding a digit (numbers, ids, hex
// addresses, user names like tester050, path segments) with the wildcard,
// keeping the punctuation around it, so that messages differing only in
// values read the same.
func maskText(s string) string { return string(appendMask(make([]byte, 0, len(s)), s)) }

// appendMask appends maskText(s) to dst: clustering masks every message
// into one reused buffer.
func appendMask(dst []byte, s string) []byte {
	// A word's bytes are classed by one table, whose classes OR to "held
	// a digit"; the bytes kept between masked words are appended a span
	// at a time (a byte at a time, with a second test per byte, was 1.6x
	// slower: masking is half of one long run's clustering).
	kept := 0 // s[kept:i] is not appended yet
	for i := 0; i < len(s); {
		if maskClass[s[i]] == notWord {
			i++
			continue
		}
		j, class := i, notWord
		for ; j < len(s) && maskClass[s[j]] != notWord; j++ {
			class |= maskClass[s[j]]
		}
		if class&wordDigit != 0 {
			dst = append(dst, s[kept:i]...)
			dst = append(dst, Wildcard...)
			kept = j
		}
		i = j
	}
	return append(dst, s[kept:]...)
}

// The classes of maskClass: [0-9] are wordDigit, [A-Za-z_] wordLetter,
// every other byte notWord.
const (
	notWord    uint8 = 0
	wordLetter uint8 = 1
	wordDigit  uint8 = 2
)

var maskClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= '0' && c <= '9':
			t[c] = wordDigit
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			t[c] = wordLetter
		}
	}
	return t
}()

// phaser tells the load phase of an instant from the history: "ramp-up"
// until the user count first reaches its maximum, "steady" while it stays
// there, "tail" after it drops or after the last history row.
type phaser struct {
	full, drop time.Time
	ok         bool
}

func newPhaser(r *Run) phaser {
	var p phaser
	if len(r.History) == 0 || r.UsersMax == 0 {
		return p
	}
	p.ok = true
	for _, h := range r.History {
		if p.full.IsZero() {
			if h.Users == r.UsersMax {
				p.full = h.Time
			}
			continue
		}
		if h.Users < r.UsersMax {
			p.drop = h.Time
			break
		}
	}
	if p.drop.IsZero() {
		p.drop = r.History[len(r.History)-1].Time.Add(time.Second)
	}
	return p
}

// The phases, as phase returns them (indices of phaseNames).
const (
	phaseRun = iota
	phaseRampUp
	phaseSteady
	phaseTail
	numPhases
)

var phaseNames = [numPhases]string{"run", "ramp-up", "steady", "tail"}

func (p phaser) phase(t time.Time) int {
	switch {
	case !p.ok:
		return phaseRun
	case t.Before(p.full):
		return phaseRampUp
	case t.Before(p.drop):
		return phaseSteady
	}
	return phaseTail
}

// messageKinds are left out of message clustering: routine traffic the
// timeline counts already.
func messageKind(k schema.EventKind) bool {
	switch k {
	case schema.KindRequest, schema.KindStats, schema.KindAuthRequest, schema.KindAuthResponse:
		return false
	}
	return true
}

type clusterAcc struct {
	c       Cluster
	eps     map[string]bool
	sources []schema.SourceKind // distinct, in the order met
	phases  [numPhases]int64    // PerPhase, by phase index
}

func (a *clusterAcc) add(e Event, t time.Time, ph int) {
	c := &a.c
	c.Count++
	if c.First.IsZero() || t.Before(c.First) {
		c.First = t
	}
	if t.After(c.Last) {
		c.Last = t
	}
	a.phases[ph]++
	if p := reqPath(e.Path()); p != "" {
		a.eps[maskText(p)] = true
	}
	if src := e.Source(); !slices.Contains(a.sources, src) {
		a.sources = append(a.sources, src)
	}
	if len(c.Examples) < 3 {
		c.Examples = append(c.Examples, *refOf(e))
	}
}

func (a *clusterAcc) done() Cluster {
	for k := range a.eps {
		a.c.Endpoints = append(a.c.Endpoints, k)
	}
	sort.Strings(a.c.Endpoints)
	for _, k := range a.sources {
		a.c.Sources = append(a.c.Sources, k.String())
	}
	sort.Strings(a.c.Sources)
	for i, n := range a.phases {
		if n > 0 {
			a.c.PerPhase[phaseNames[i]] = n
		}
	}
	return a.c
}

func newAcc() *clusterAcc {
	return &clusterAcc{c: Cluster{PerPhase: map[string]int64{}}, eps: map[string]bool{}}
}

// buildClusters groups the run's exceptions by type, innermost in-app
// frame and masked message, and its other log messages by Drain template.
// A record copied into two files (django_errors.log and runserver stderr)
// counts once.
func buildClusters(r *Run) []Cluster {
	ph := newPhaser(r)
	dd := newDeduper()
	exc := map[string]*clusterAcc{}
	var excKeys []string
	d := NewDrain()
	msg := map[int]*clusterAcc{}
	var masked []byte
	for _, e := range r.Events.All() {
		excType := e.ExcType()
		if excType == "" && (!messageKind(e.Kind()) || strings.TrimSpace(e.Message()) == "") {
			continue
		}
		if dd.dup(e) {
			continue
		}
		t := e.Time()
		if excType != "" {
			// The parser picked the innermost in-app frame already
			// (parsers.pyPickFrame), chained tracebacks and Windows paths
			// included.
			frame := e.ExcFrame()
			masked := maskText(firstLine(e.ExcMessage()))
			key := excType + "|" + frame + "|" + masked
			a := exc[key]
			if a == nil {
				a = newAcc()
				a.c.Kind, a.c.Key, a.c.ExcType, a.c.Frame, a.c.Template = "exception", key, excType, frame, masked
				exc[key] = a
				excKeys = append(excKeys, key)
			}
			a.add(e, t, ph.phase(t))
			continue
		}
		masked = appendMask(masked[:0], e.Message())
		c := d.addMasked(masked)
		a := msg[c.ID]
		if a == nil {
			a = newAcc()
			a.c.Kind = "message"
			msg[c.ID] = a
		}
		a.add(e, t, ph.phase(t))
	}
	var out []Cluster
	for _, k := range excKeys {
		out = append(out, exc[k].done())
	}
	for _, c := range d.Clusters() {
		a := msg[c.ID]
		if a == nil {
			continue
		}
		a.c.Template = c.Template()
		a.c.Key = a.c.Template
		out = append(out, a.done())
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind // "exception" before "message"
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Key < b.Key
	})
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return strings.TrimSpace(s)
}
