// Package rules turns a correlated analysis into findings.
//
// A rule is a YAML file (built-in ones are embedded from builtin/, users add
// their own with --rules) with a stable ID, a title, a severity, a doc, and
// either a generic matcher (sources, event kinds, fields, regexp2 message
// patterns, time windows, thresholds) or the name of a check written in Go
// for reasoning a matcher cannot express (content-size arithmetic, history
// shape). Each rule has a fixture folder under testdata/<ID>/ with the
// findings it must and must not produce, as in golang.org/x/tools/go/analysis.
package rules

import (
	"strings"
	"time"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model/schema"
)

// Severity orders findings; the zero value is Info.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = []string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return "unknown"
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name.
func ParseSeverity(s string) (Severity, bool) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), true
		}
	}
	return Info, false
}

// Finding is one conclusion about one run. JSON names are part of the
// logcorr.analysis/v1 contract (fields are only added).
type Finding struct {
	ID             string             `json:"id"`
	Severity       string             `json:"severity"`
	Title          string             `json:"title"`
	Category       string             `json:"category"` // "server", "test-validity", "metrics"
	Confidence     float64            `json:"confidence"`
	Summary        string             `json:"summary"`
	Interpretation string             `json:"interpretation,omitempty"`
	Recommendation string             `json:"recommendation,omitempty"`
	Evidence       []Evidence         `json:"evidence"`
	Missing        []string           `json:"missing_evidence,omitempty"`
	Metrics        map[string]float64 `json:"metrics,omitempty"`

	// Additions.

	// Role says where the finding stands in the story: RoleValidity (the
	// run does not measure what it claims), RoleCause (why the run
	// failed), RoleSymptom (what the failure looked like in the figures:
	// slo-breach, endpoint-hotspot), RoleContext (worth knowing). Reports
	// lead with validity and causes; symptoms come after them.
	Role string `json:"role,omitempty"`
	// Headline is the finding in one sentence, for the run's conclusion.
	Headline string `json:"headline,omitempty"`
	// Impact says what the finding does to the run's figures.
	Impact string `json:"impact,omitempty"`
	// RuledOut names what the evidence shows the cause is not.
	RuledOut []string `json:"ruled_out,omitempty"`
	// Key names the phenomenon (rule and what it is about), so a report
	// over many runs can say a repeated finding once with the runs it
	// holds for.
	Key string `json:"key,omitempty"`
}

// Roles of a finding in the run's story.
const (
	RoleValidity = "validity"
	RoleCause    = "cause"
	RoleSymptom  = "symptom"
	RoleContext  = "context"
)

// Evidence is a cited line: file path relative to the analysed folder, the
// 1-based line (a CSV row's physical line; 0 for a whole-file or HTML-field
// citation, named in Text), its UTC time when known, and its text as the
// file holds it. Note says why the line matters (the columns that matter,
// the arithmetic), apart from the line itself.
type Evidence struct {
	File string     `json:"file"`
	Line int64      `json:"line"`
	Time *time.Time `json:"time,omitempty"`
	Text string     `json:"text"`
	Note string     `json:"note,omitempty"`
	// At is where the cited line is, when Text is to be the file's own
	// line: the report stage reads it back (Cite). At.File is the FileID
	// when known (an event's), else the line is found by File's path.
	At *Cite `json:"-"`
}

// Cite is the position of a cited line.
type Cite struct {
	Pos schema.Ref
	// ByPath is set when Pos.File is not known (a Locust row knows its
	// file by path only): the reader looks the path up.
	ByPath bool
	// ref: the evidence quotes a correlate.Ref (cut as the Ref cuts).
	ref bool
}

// Quote sets the evidence's text from its line as read back from the file
// (Cite): the line itself, clipped as every quote is. An empty line keeps
// the text it had.
func (e *Evidence) Quote(line string) {
	switch {
	case e.At != nil && e.At.ref:
		if line == "" {
			return
		}
		e.Text = clip(correlate.RefText(line))
	default:
		if t := strings.TrimSpace(line); t != "" {
			e.Text = clip(t)
		}
	}
}

// Context is what a check sees.
type Context struct {
	Analysis *correlate.Analysis
	Run      *correlate.Run
	Rule     *Rule
	// Targets are the metric targets (SLO defaults or --slo).
	Targets Targets
	// own is the run's own window and what lies in it, computed once per
	// run and shared by every rule EvaluateRun runs over it.
	own *ownFacts
	// set is the rule set being evaluated (nil for a hand-built Context):
	// a check reads another rule's parameters through paramsOf.
	set *Set
	// all holds the facts about the whole analysis (what the response
	// bodies say, which runs are the same scenario), computed once and
	// shared by every run's rules.
	all *analysisFacts
}

// Targets are the metric targets findings compare against. Defaults come
// from the user's weekly report: auth success > 99 %, p95 < 2 s, p99 < 2 s.
type Targets struct {
	AuthSuccessPct float64
	P95MS          float64
	P99MS          float64
	FailurePct     float64
}

// DefaultTargets are the weekly report's targets.
var DefaultTargets = Targets{AuthSuccessPct: 99, P95MS: 2000, P99MS: 2000, FailurePct: 1}
