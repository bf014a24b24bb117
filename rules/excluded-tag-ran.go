package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// excludedTagRan: requests of a kind the run was meant to leave out ran.
var excludedTagRan = &Check[excludedTagRanParams]{
	ID:    "excluded-tag-ran",
	Doc:   "requests of an excluded kind ran",
	Needs: []Need{{SrcStats}},
	Run:   runExcludedTagRan,
}

func init() { register(excludedTagRan) }

type excludedTagRanParams struct {
	// KindPatterns: kind → substrings of request names, separated by "|"
	// (a kind without one is matched by its own name).
	KindPatterns map[string]string `yaml:"kind_patterns"`
}

// excludedKinds are the kinds of requests the run was meant to leave out,
// from --exclude-tags (comma-split: that is what the user meant, even when
// Locust read it as one tag) and the run's name (no_export).
func excludedKinds(r *correlate.Run) (kinds []string, fromCmd *parsers.MetaRow) {
	seen := map[string]bool{}
	vals, src := tagArgs(r, true)
	for _, v := range vals {
		for _, k := range strings.Split(v, ",") {
			k = strings.ToLower(strings.TrimSpace(k))
			if k != "" && !seen[k] {
				seen[k] = true
				kinds = append(kinds, k)
				fromCmd = src
			}
		}
	}
	for _, k := range nameExclusions(r.Name) {
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return kinds, fromCmd
}

// kindRows returns the request rows whose name matches an excluded kind:
// the kind's pattern from the rule's kind_patterns (substrings separated by
// "|"), else the kind itself as a substring.
func kindRows(patterns map[string]string, r *correlate.Run, kind string) []*parsers.StatRow {
	pats := strings.Split(kind, "|")
	if p, ok := patterns[kind]; ok && p != "" {
		pats = strings.Split(p, "|")
	}
	var out []*parsers.StatRow
	for _, s := range model.RequestRows(r) {
		l := strings.ToLower(s.Name)
		for _, p := range pats {
			if p != "" && strings.Contains(l, strings.ToLower(p)) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func runExcludedTagRan(ctx *Context, p *excludedTagRanParams) []Finding {
	r := ctx.Run
	kinds, cmd := excludedKinds(r)
	var out []Finding
	for _, kind := range kinds {
		rows := kindRows(p.KindPatterns, r, kind)
		if len(rows) == 0 {
			continue
		}
		sortRowsByRequests(rows)
		var req, fail int64
		for _, s := range rows {
			req += s.Requests
			fail += s.Failures
		}
		// How many distinct names of this kind do runs that did not
		// exclude it record? Tells "exclusion ignored" from "a few tasks
		// of this kind are not tagged with it".
		ref, refRun := 0, ""
		if ctx.Analysis != nil {
			for _, o := range ctx.Analysis.Runs {
				if o == r || excludes(o, kind) {
					continue
				}
				if n := len(kindRows(p.KindPatterns, o, kind)); n > ref {
					ref, refRun = n, o.Name
				}
			}
		}
		said := fmt.Sprintf("the run's name %q", r.Name)
		if cmd != nil {
			said = "the command line (" + cmd.File + ")"
		}
		total := aggRequests(r)
		f := Finding{
			Confidence: 0.9,
			Summary: fmt.Sprintf("%s says %q requests were excluded, yet %s %q request(s) over %d request name(s) ran (%.1f%% of %s requests, %d failures).",
				said, kind, humanize.Thousands(req), kind, len(rows), pct(req, total), humanize.Thousands(total), fail),
			Metrics: map[string]float64{"requests": float64(req), "failures": float64(fail), "names": float64(len(rows)), "share_pct": pct(req, total)},
		}
		switch {
		case ref > 0 && len(rows)*2 < ref:
			f.Severity = "medium"
			f.Interpretation = fmt.Sprintf("The exclusion took effect for most %s tasks (run %s, which did not exclude them, recorded %d %s request names; this run %d), but these names still ran: their tasks are probably not tagged %q in the locustfile. Their latency and failures are part of this run's totals.", kind, refRun, ref, kind, len(rows), kind)
			f.Recommendation = fmt.Sprintf("Tag these tasks %q in the locustfile (or exclude them by another tag) and rerun before comparing with runs that include %s traffic.", kind, kind)
			f.Metrics["reference_names"] = float64(ref)
		case ref > 0:
			f.Severity = "high"
			f.Interpretation = fmt.Sprintf("The %s tasks ran as if nothing was excluded (%d %s request names here, %d in run %s which did not exclude them): the exclusion did not take effect (a comma-separated --exclude-tags value is one tag; a misspelt tag matches nothing). Comparisons with a genuine no-%s run are invalid.", kind, len(rows), kind, ref, refRun, kind)
			f.Recommendation = "Pass --exclude-tags values space-separated (--exclude-tags export admin), check the tag names in the locustfile, and rerun."
			f.Metrics["reference_names"] = float64(ref)
		default:
			f.Severity = "medium"
			f.Confidence = 0.8
			f.Interpretation = fmt.Sprintf("Requests of a kind meant to be left out are part of this run's totals. Whether the exclusion failed entirely or only some %s tasks lack the tag cannot be told without a run that did not exclude them.", kind)
			f.Recommendation = fmt.Sprintf("Check the tags of these tasks and the --exclude-tags value (space-separated), and rerun without %s traffic before comparing.", kind)
			f.Missing = append(f.Missing, "a run without the exclusion, to tell a failed exclusion from untagged tasks")
		}
		if cmd != nil {
			f.Evidence = append(f.Evidence, MetaEvidence(cmd))
		}
		for _, s := range rows {
			f.Evidence = append(f.Evidence, StatEvidence(s))
		}
		out = append(out, f)
	}
	return out
}

// excludes reports whether a run's name or command line excluded kind.
func excludes(r *correlate.Run, kind string) bool {
	ks, _ := excludedKinds(r)
	for _, k := range ks {
		if k == kind {
			return true
		}
	}
	return false
}
