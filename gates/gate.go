// Package gates decides whether a run passes in CI: service-level
// objectives written in the k6 style (p95<2s, failure_pct<1%,
// endpoint["[AUTH] Login POST"].p95<1s, p95<2s over any 30s) and
// diagnosis-aware gates (no finding>=critical, no finding=pool-exhaustion,
// no new exception cluster vs baseline), evaluated per run, written as
// JUnit XML and GitHub Actions annotations, and turned into an exit code.
package gates

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/logcorr/logcorr/rules"
)

// Kind is what a gate checks.
type Kind int

const (
	// Metric compares a figure of the run's Aggregated row (or of one
	// endpoint's row, when Endpoint is set) with a threshold.
	Metric Kind = iota
	// Windowed compares the stats history's per-second values: the gate
	// fails if, in any window of length Window, the largest (for < and
	// <=) or smallest (for > and >=) value breaches the threshold.
	Windowed
	// NoFindingSeverity fails if any finding has severity Op Severity.
	NoFindingSeverity
	// NoFindingID fails if a finding with ID FindingID exists.
	NoFindingID
	// NoNewCluster fails if the run has an exception cluster that the
	// baseline run does not.
	NoNewCluster
)

// Gate is one parsed gate expression.
type Gate struct {
	Source   string // the expression as given
	Kind     Kind
	Endpoint string  // endpoint["..."]: matches a row's Name, or "METHOD Name"
	Metric   string  // canonical metric name, see metrics
	Op       string  // "<", "<=", ">", ">=", "=" (severity gates)
	Value    float64 // threshold: ms for durations, percent for %, else a count or rate
	Window   time.Duration
	Severity rules.Severity
	// FindingID is the rule ID of a "no finding=ID" gate.
	FindingID string
}

// metricKind is the unit family of a metric.
type metricKind int

const (
	durationMetric metricKind = iota
	percentMetric
	plainMetric
)

// metrics are the names a gate may use, with their unit family. Aliases
// map to one canonical name.
var metrics = map[string]struct {
	canon string
	kind  metricKind
}{
	"median": {"p50", durationMetric}, "p50": {"p50", durationMetric}, "p66": {"p66", durationMetric},
	"p75": {"p75", durationMetric}, "p80": {"p80", durationMetric}, "p90": {"p90", durationMetric},
	"p95": {"p95", durationMetric}, "p98": {"p98", durationMetric}, "p99": {"p99", durationMetric},
	"p99.9": {"p99.9", durationMetric}, "p999": {"p99.9", durationMetric}, "p100": {"max", durationMetric},
	"avg": {"avg", durationMetric}, "average": {"avg", durationMetric}, "max": {"max", durationMetric},
	"min":         {"min", durationMetric},
	"failure_pct": {"failure_pct", percentMetric}, "failure_rate": {"failure_pct", percentMetric},
	"auth_success": {"auth_success", percentMetric}, "success": {"success", percentMetric},
	"rps": {"rps", plainMetric}, "requests": {"requests", plainMetric}, "failures": {"failures", plainMetric},
}

// windowMetrics are those the stats history carries per second (the
// metrics historyValue reads).
var windowMetrics = map[string]bool{"p50": true, "p66": true, "p75": true, "p80": true, "p90": true, "p95": true,
	"p98": true, "p99": true, "p99.9": true, "max": true, "rps": true}

// SyntaxError is a gate that does not parse; Error() reads
// `gate "p95<<2s": expected a number after "<" at column 5`.
type SyntaxError struct {
	Source string
	Col    int // 1-based column in Source (bytes)
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("gate %q: %s at column %d", e.Source, e.Msg, e.Col)
}

// ParseAll parses several gates, stopping at the first error.
func ParseAll(srcs []string) ([]Gate, error) {
	out := make([]Gate, 0, len(srcs))
	for _, s := range srcs {
		g, err := Parse(s)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// Parse reads one gate expression. Grammar (spaces allowed between
// tokens; names are case-sensitive):
//
//	gate     = "no" "finding" ( (">=" | ">" | "=") severity | "=" rule-id )
//	         | "no" "new" "exception" "cluster" [ "vs" "baseline" ]
//	         | target op number [unit] [ "over" "any" number time-unit ]
//	target   = metric | "endpoint[" quoted-name "]" "." metric
//	op       = "<" | "<=" | ">" | ">="
//	unit     = "ms" | "s" | "m" | "%"
//
// Durations without a unit are milliseconds (as in k6); percent metrics
// take "%" or a bare number of percent.
func Parse(src string) (Gate, error) {
	p := &parser{src: src}
	g, err := p.gate()
	if err != nil {
		return Gate{}, err
	}
	g.Source = strings.TrimSpace(src)
	return g, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) errf(at int, format string, args ...any) error {
	return &SyntaxError{Source: p.src, Col: at + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) eof() bool { p.skipSpace(); return p.pos >= len(p.src) }

// word reads [A-Za-z0-9_.-]+.
func (p *parser) word() (string, int) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos], start
}

func (p *parser) keyword(kw string) error {
	w, at := p.word()
	if w != kw {
		if w == "" {
			return p.errf(at, "expected %q", kw)
		}
		return p.errf(at, "expected %q, found %q", kw, w)
	}
	return nil
}

func (p *parser) op(allowEq bool) (string, int, error) {
	p.skipSpace()
	at := p.pos
	rest := p.src[p.pos:]
	for _, o := range []string{"<=", ">=", "<", ">", "=="} {
		if strings.HasPrefix(rest, o) {
			p.pos += len(o)
			if o == "==" {
				if !allowEq {
					return "", at, p.errf(at, "\"==\" is not a comparison here: use <, <=, > or >=")
				}
				o = "="
			}
			return o, at, nil
		}
	}
	if strings.HasPrefix(rest, "=") {
		if !allowEq {
			return "", at, p.errf(at, "\"=\" is not a comparison here: use <, <=, > or >=")
		}
		p.pos++
		return "=", at, nil
	}
	if rest == "" {
		return "", at, p.errf(at, "expected a comparison (<, <=, > or >=) at the end")
	}
	return "", at, p.errf(at, "expected a comparison (<, <=, > or >=), found %q", rest[:1])
}

func (p *parser) gate() (Gate, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return Gate{}, p.errf(0, "empty gate")
	}
	save := p.pos
	if w, _ := p.word(); w == "no" {
		return p.noGate()
	}
	p.pos = save
	return p.metricGate()
}

func (p *parser) noGate() (Gate, error) {
	w, at := p.word()
	switch w {
	case "finding":
		op, opAt, err := p.op(true)
		if err != nil {
			return Gate{}, err
		}
		name, nameAt := p.word()
		if name == "" {
			return Gate{}, p.errf(nameAt, "expected a severity or rule ID after %q", op)
		}
		if sev, ok := rules.ParseSeverity(name); ok {
			if op == "<" || op == "<=" {
				return Gate{}, p.errf(opAt, "\"no finding%s%s\" would forbid the harmless findings; use >=, > or =", op, name)
			}
			if !p.eof() {
				return Gate{}, p.errf(p.pos, "unexpected %q after the severity", p.src[p.pos:])
			}
			return Gate{Kind: NoFindingSeverity, Op: op, Severity: sev}, nil
		}
		if op != "=" {
			return Gate{}, p.errf(nameAt, "%q is not a severity (info, low, medium, high, critical)", name)
		}
		if !p.eof() {
			return Gate{}, p.errf(p.pos, "unexpected %q after the rule ID", p.src[p.pos:])
		}
		return Gate{Kind: NoFindingID, Op: "=", FindingID: name}, nil
	case "new":
		for _, kw := range []string{"exception", "cluster"} {
			if err := p.keyword(kw); err != nil {
				return Gate{}, err
			}
		}
		if !p.eof() {
			if err := p.keyword("vs"); err != nil {
				return Gate{}, err
			}
			if err := p.keyword("baseline"); err != nil {
				return Gate{}, err
			}
			if !p.eof() {
				return Gate{}, p.errf(p.pos, "unexpected %q", p.src[p.pos:])
			}
		}
		return Gate{Kind: NoNewCluster}, nil
	case "":
		return Gate{}, p.errf(at, "expected \"finding\" or \"new\" after \"no\"")
	}
	return Gate{}, p.errf(at, "expected \"finding\" or \"new\" after \"no\", found %q", w)
}

func (p *parser) metricGate() (Gate, error) {
	var g Gate
	p.skipSpace()
	if strings.HasPrefix(p.src[p.pos:], "endpoint[") {
		p.pos += len("endpoint[")
		name, err := p.quoted()
		if err != nil {
			return g, err
		}
		if name == "" {
			return g, p.errf(p.pos-1, "empty endpoint name")
		}
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.pos:], "].") {
			return g, p.errf(p.pos, "expected \"].\" and a metric after the endpoint name")
		}
		p.pos += 2
		g.Endpoint = name
	}
	name, at := p.word()
	// p(95), as k6 writes it.
	if name == "p" && strings.HasPrefix(p.src[p.pos:], "(") {
		end := strings.IndexByte(p.src[p.pos:], ')')
		if end < 0 {
			return g, p.errf(p.pos, "unclosed \"(\"")
		}
		name = "p" + p.src[p.pos+1:p.pos+end]
		p.pos += end + 1
	}
	if name == "" {
		return g, p.errf(at, "expected a metric (p95, p99, median, avg, max, failure_pct, auth_success, rps...) or \"no\"")
	}
	m, ok := metrics[name]
	if !ok {
		return g, p.errf(at, "unknown metric %q (known: p50/median, p66, p75, p80, p90, p95, p98, p99, p99.9, avg, min, max, failure_pct, auth_success, success, rps, requests, failures)", name)
	}
	if g.Endpoint != "" && m.canon == "auth_success" {
		return g, p.errf(at, "auth_success is the login row's success; for one endpoint use success")
	}
	if g.Endpoint == "" && m.canon == "success" {
		return g, p.errf(at, "success needs an endpoint: endpoint[\"name\"].success")
	}
	g.Metric = m.canon
	op, opAt, err := p.op(false)
	if err != nil {
		return g, err
	}
	g.Op = op
	p.skipSpace()
	numAt := p.pos
	v, ok := p.number()
	if !ok {
		return g, p.errf(numAt, "expected a number after %q", op)
	}
	_ = opAt
	unitAt := p.pos
	unit := p.unit()
	switch m.kind {
	case durationMetric:
		switch unit {
		case "", "ms":
		case "s":
			v *= 1000
		case "m":
			v *= 60000
		default:
			return g, p.errf(unitAt, "%s is a duration: use ms, s or m, not %q", name, unit)
		}
	case percentMetric:
		if unit != "" && unit != "%" {
			return g, p.errf(unitAt, "%s is a percentage: use %%, not %q", name, unit)
		}
	case plainMetric:
		if unit != "" {
			return g, p.errf(unitAt, "%s takes a plain number, not %q", name, unit)
		}
	}
	g.Value = v
	if p.eof() {
		return g, nil
	}
	if err := p.keyword("over"); err != nil {
		return g, err
	}
	if err := p.keyword("any"); err != nil {
		return g, err
	}
	p.skipSpace()
	wAt := p.pos
	w, ok := p.number()
	if !ok || w <= 0 {
		return g, p.errf(wAt, "expected a window length after \"any\" (e.g. 30s)")
	}
	wuAt := p.pos
	switch u := p.unit(); u {
	case "ms":
		g.Window = time.Duration(w * float64(time.Millisecond))
	case "s":
		g.Window = time.Duration(w * float64(time.Second))
	case "m":
		g.Window = time.Duration(w * float64(time.Minute))
	default:
		return g, p.errf(wuAt, "expected a time unit (ms, s, m) for the window")
	}
	if g.Endpoint != "" {
		return g, p.errf(wAt, "windowed gates read the Aggregated stats history; endpoint rows have no history")
	}
	if !windowMetrics[g.Metric] {
		return g, p.errf(at, "%s has no per-second history; windowed gates take p50..p99.9, max or rps", name)
	}
	g.Kind = Windowed
	if !p.eof() {
		return g, p.errf(p.pos, "unexpected %q", p.src[p.pos:])
	}
	return g, nil
}

// quoted reads a "..." or '...' string with backslash escapes.
func (p *parser) quoted() (string, error) {
	if p.pos >= len(p.src) || (p.src[p.pos] != '"' && p.src[p.pos] != '\'') {
		return "", p.errf(p.pos, "expected a quoted endpoint name after \"endpoint[\"")
	}
	q := p.src[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\' && p.pos+1 < len(p.src):
			b.WriteByte(p.src[p.pos+1])
			p.pos += 2
		case c == q:
			p.pos++
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errf(start, "unclosed quote")
}

func (p *parser) number() (float64, bool) {
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
		p.pos++
	}
	if p.pos == start {
		return 0, false
	}
	v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
	if err != nil {
		p.pos = start
		return 0, false
	}
	return v, true
}

func (p *parser) unit() string {
	rest := p.src[p.pos:]
	for _, u := range []string{"ms", "s", "m", "%"} {
		if strings.HasPrefix(rest, u) {
			// "ms" must not be the start of a longer word.
			next := len(u)
			if next < len(rest) && (rest[next] >= 'a' && rest[next] <= 'z') {
				continue
			}
			p.pos += len(u)
			return u
		}
	}
	// Any other letters are a unit we do not know: return them for the
	// error message.
	i := 0
	for i < len(rest) && (rest[i] >= 'a' && rest[i] <= 'z' || rest[i] >= 'A' && rest[i] <= 'Z') {
		i++
	}
	if i > 0 {
		p.pos += i
		return rest[:i]
	}
	return ""
}
