package rules

import (
	"fmt"
	"sort"
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

// cmdExclusions are the kinds the command line (console log or HTML
// report) excluded with --exclude-tags, comma-split: that is what the user
// meant, even when Locust read a comma list as one tag.
func cmdExclusions(r *correlate.Run) (kinds []string, src *parsers.MetaRow) {
	seen := map[string]bool{}
	vals, src := tagArgs(r, true)
	for _, v := range vals {
		for _, k := range strings.Split(v, ",") {
			k = strings.ToLower(strings.TrimSpace(k))
			if k != "" && !seen[k] {
				seen[k] = true
				kinds = append(kinds, k)
			}
		}
	}
	return kinds, src
}

// excludedKinds are the kinds a run was meant to leave out, from its
// command line and, for the comma-separated inference of
// locust-tags-comma-separated only, its name (no_export).
func excludedKinds(r *correlate.Run) []string {
	kinds, _ := cmdExclusions(r)
	seen := map[string]bool{}
	for _, k := range kinds {
		seen[k] = true
	}
	for _, k := range nameExclusions(r.Name) {
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return kinds
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

// runExcludedTagRan decides from the data, never from words in the run's
// name: a kind was excluded when the command line says so, or when most of
// its request names, present in the runs of the same scenario, are gone
// from this one. What of that kind still ran then is the finding.
func runExcludedTagRan(ctx *Context, p *excludedTagRanParams) []Finding {
	r := ctx.Run
	cmdKinds, cmd := cmdExclusions(r)
	inCmd := map[string]bool{}
	for _, k := range cmdKinds {
		inCmd[k] = true
	}
	kinds := append([]string(nil), cmdKinds...)
	for k := range p.KindPatterns {
		if !inCmd[k] {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds[len(cmdKinds):])
	total := aggRequests(r)
	var out []Finding
	for _, kind := range kinds {
		rows := kindRows(p.KindPatterns, r, kind)
		if len(rows) == 0 {
			continue
		}
		// The sibling of the same scenario with the most names of this
		// kind: how many there are when nothing excludes them.
		ref, refRun := ctx.scenario().mostOfKind(p.KindPatterns, r, kind)
		fewer := ref > 0 && len(rows)*2 <= ref
		if !inCmd[kind] && !fewer {
			continue // nothing says this kind was excluded
		}
		sortRowsByRequests(rows)
		var req, fail int64
		for _, s := range rows {
			req += s.Requests
			fail += s.Failures
		}
		f := Finding{
			Role:       RoleValidity,
			Confidence: 0.9,
			Metrics:    map[string]float64{"requests": float64(req), "failures": float64(fail), "names": float64(len(rows)), "share_pct": round3(pct(req, total))},
			Key:        "excluded-tag-ran|" + kind,
		}
		ran := fmt.Sprintf("%s %q request(s) over %d request name(s) ran (%.1f%% of %s requests, %d failures)",
			humanize.Thousands(req), kind, len(rows), pct(req, total), humanize.Thousands(total), fail)
		switch {
		case inCmd[kind] && ref > 0 && !fewer:
			f.Severity = High.String()
			f.Summary = fmt.Sprintf("The command line (%s) excludes %q, yet %s: as many %s names as run %s, which did not exclude them (%d).", cmd.File, kind, ran, kind, refRun, ref)
			f.Interpretation = fmt.Sprintf("The %s tasks ran as if nothing was excluded: the exclusion did not take effect (a comma-separated --exclude-tags value is one tag; a misspelt tag matches nothing). Comparisons with a genuine no-%s run are invalid.", kind, kind)
			f.Recommendation = "Pass --exclude-tags values space-separated (--exclude-tags export admin), check the tag names in the locustfile, and rerun."
			f.Metrics["reference_names"] = float64(ref)
		case fewer:
			f.Severity = Medium.String()
			said := fmt.Sprintf("Most %q request names of this scenario are gone (run %s has %d, this run %d), so %q requests were left out", kind, refRun, ref, len(rows), kind)
			if inCmd[kind] {
				said = fmt.Sprintf("The command line (%s) excludes %q and most of its request names are gone (run %s has %d, this run %d)", cmd.File, kind, refRun, ref, len(rows))
			}
			f.Summary = fmt.Sprintf("%s, yet %s.", said, ran)
			f.Interpretation = fmt.Sprintf("The exclusion took effect for most %s tasks, but these names still ran: their tasks are probably not tagged %q in the locustfile. Their latency and failures are part of this run's totals, so it is not a clean no-%s run.", kind, kind, kind)
			f.Recommendation = fmt.Sprintf("Tag these tasks %q in the locustfile (or exclude them by another tag) and rerun before comparing with runs that include %s traffic.", kind, kind)
			f.Metrics["reference_names"] = float64(ref)
		default:
			f.Severity = Medium.String()
			f.Confidence = 0.8
			f.Summary = fmt.Sprintf("The command line (%s) excludes %q, yet %s.", cmd.File, kind, ran)
			f.Interpretation = fmt.Sprintf("Requests of a kind meant to be left out are part of this run's totals. Whether the exclusion failed entirely or only some %s tasks lack the tag cannot be told without a run of the same scenario that did not exclude them.", kind)
			f.Recommendation = fmt.Sprintf("Check the tags of these tasks and the --exclude-tags value (space-separated), and rerun without %s traffic before comparing.", kind)
			f.Missing = append(f.Missing, "a run of the same scenario without the exclusion, to tell a failed exclusion from untagged tasks")
		}
		f.Interpretation += " A request made in a user's on_start (or inside the login flow) is not a task and cannot be excluded by tags at all: if these names are requested there, move them into a tagged task."
		f.Headline = fmt.Sprintf("%s %q requests ran although %q was excluded", humanize.Thousands(req), kind, kind)
		if cmd != nil && inCmd[kind] {
			f.Evidence = append(f.Evidence, MetaEvidence(cmd))
		}
		for _, s := range rows {
			f.Evidence = append(f.Evidence, noted(StatEvidence(s), StatCols(s, "requests", "failures")))
		}
		out = append(out, f)
	}
	return out
}

// excludes reports whether a run's command line or name excluded kind
// (the comma-separated inference of locust-tags-comma-separated).
func excludes(r *correlate.Run, kind string) bool {
	for _, k := range excludedKinds(r) {
		if k == kind {
			return true
		}
	}
	return false
}
