package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// errorPageAsSuccess: one fixed body Locust counted as success. Two
// content-size arguments (model.Measure's split): the failure page found in
// rows counted as successes, and one fixed body that several endpoints all
// answered. Which page a shared body is, the sizes cannot say: it is named
// only from evidence (a runserver line with that size, a CSRF log line, or
// the user's own known_pages parameter).
var errorPageAsSuccess = &Check[errorPageAsSuccessParams]{
	ID:    "error-page-as-success",
	Doc:   "error pages (one fixed body across endpoints) counted as successful responses",
	Needs: []Need{{SrcStats}},
	Run:   runErrorPageAsSuccess,
}

func init() { register(errorPageAsSuccess) }

type errorPageAsSuccessParams struct {
	// KnownPages names sizes the user knows (bytes → what page it is);
	// empty by default: no built-in name for one application's pages.
	KnownPages  map[string]string `yaml:"known_pages"`
	LowSharePct float64           `yaml:"low_share_pct"` // below this share of requests: low severity
}

func runErrorPageAsSuccess(ctx *Context, p *errorPageAsSuccessParams) []Finding {
	r := ctx.Run
	b := ctx.bodies()
	var out []Finding
	if f, ok := failurePageAsSuccess(r, b); ok {
		out = append(out, f)
	}
	known := map[int64]string{}
	for k, v := range p.KnownPages {
		if n, err := strconv.ParseInt(k, 10, 64); err == nil {
			known[n] = v
		}
	}
	total := aggRequests(r)
	for _, sh := range b.Shared {
		rows := append([]*parsers.StatRow(nil), sh.Rows...)
		sortRowsByRequests(rows)
		var n int64
		names := map[string]bool{}
		for _, s := range rows {
			n += s.Requests
			names[s.Type+" "+s.Name] = true
		}
		size := int64(sh.Bytes)
		what, whatEv := nameSharedBody(ctx, size, names, known)
		refNote := ""
		if ref := ctx.measure().Reference; ref != nil && ref != r {
			same := 0
			for _, s := range model.RequestRows(ref) {
				if names[s.Type+" "+s.Name] && s.AvgContentSize != nil && *s.AvgContentSize == sh.Bytes {
					same++
				}
			}
			if same > 0 {
				refNote = fmt.Sprintf(" %d of these names answer the same %s bytes in %s, where logins worked: it is not a login effect.", same, humanize.Thousands(size), ref.Name)
			}
		}
		share := pct(n, total)
		f := Finding{
			Role:       RoleValidity,
			Confidence: 0.8,
			Summary: fmt.Sprintf("%s requests over %d request names (%s of all requests) were counted as success but every response was exactly %s bytes: %s.%s",
				humanize.Thousands(n), len(rows), humanize.Pct(share), humanize.Thousands(size), what, refNote),
			Headline: fmt.Sprintf("%d request names answered one fixed %s-byte body, counted as success", len(rows), humanize.Thousands(size)),
			Interpretation: "Different endpoints returning bodies of exactly the same size is one page, not their data (an error or rejection page). " +
				"Locust counted these responses as successes, so the run's failure rate leaves them out and their latencies are that page's.",
			Recommendation: "Fail requests on status >= 400 (catch_response must check the status), find what the page says (the server's request lines show its status), fix the cause and rerun.",
			Metrics:        map[string]float64{"body_bytes": float64(size), "requests": float64(n), "share_pct": round3(share), "effective_failure_pct": round3(pct(aggFailures(r)+n, total))},
			Key:            fmt.Sprintf("error-page-as-success|shared|%d", size),
		}
		if whatEv != nil {
			f.Evidence = append(f.Evidence, *whatEv)
			f.Confidence = 0.9
		} else {
			f.Missing = append(f.Missing, "what the page is: runserver's request lines (their status and size), or the response body; a known_pages parameter names it")
		}
		for _, s := range rows {
			f.Evidence = append(f.Evidence, noted(StatEvidence(s), StatCols(s, "requests", "failures", "size")))
		}
		f.Severity = Medium.String()
		if share < p.LowSharePct {
			f.Severity = Low.String()
		}
		out = append(out, f)
	}
	return out
}

// nameSharedBody says what a shared fixed body is, only from evidence: the
// user's known_pages, else the run's runserver lines that answered that
// many bytes (their status, and CSRF records for the same paths), else
// that it is unnamed.
func nameSharedBody(ctx *Context, size int64, names map[string]bool, known map[int64]string) (string, *Evidence) {
	if v, ok := known[size]; ok {
		return v + " (named by the rule's known_pages)", nil
	}
	status := map[int64]int64{}
	var first *correlate.Event
	for _, e := range ownEvents(ctx).All() {
		if sz, ok := e.Size(); e.Kind() != schema.KindRequest || !ok || sz != size || !e.HasStatus() {
			continue
		}
		status[e.StatusOr0()] += 1 + e.Duplicates()
		if first == nil {
			first = eventPtr(e)
		}
	}
	if first == nil {
		return fmt.Sprintf("one page the CSV cannot name (%s bytes)", humanize.Thousands(size)), nil
	}
	var codes []string
	for s, n := range status {
		codes = append(codes, fmt.Sprintf("%d (%s lines)", s, humanize.Thousands(n)))
	}
	sort.Strings(codes)
	what := fmt.Sprintf("the server's answer with status %s and %s bytes (runserver's request lines)", strings.Join(codes, ", "), humanize.Thousands(size))
	if status[403] > 0 {
		for _, e := range ownEvents(ctx).All() {
			if e.Kind() == schema.KindForbidden && strings.Contains(e.Message(), "CSRF") {
				what = fmt.Sprintf("Django's CSRF rejection (403, %s bytes): runserver answered them 403 and logged %q", humanize.Thousands(size), firstLine(e.Message()))
				break
			}
		}
	}
	ev := noted(EventEvidence(*first), fmt.Sprintf("a request answered %d with %s bytes", first.StatusOr0(), humanize.Thousands(size)))
	return what, &ev
}

// failurePageAsSuccess: rows whose average is an exact mix of the failure
// page and the login page with more failure pages than failures had error
// pages accepted as success.
func failurePageAsSuccess(r *correlate.Run, b *model.Bodies) (Finding, bool) {
	if b.LoginPage == nil || b.Failure == nil {
		return Finding{}, false
	}
	L, F := b.LoginPage.Bytes, b.Failure.Bytes
	type hit struct {
		row *parsers.StatRow
		n   int64
	}
	var hits []hit
	var n int64
	for _, s := range model.RequestRows(r) {
		if model.IsAuthName(s.Name) || s.AvgContentSize == nil {
			continue
		}
		k, ok := model.MixCount(s, F, L)
		if ok && k > s.Failures {
			hits = append(hits, hit{s, k - s.Failures})
			n += k - s.Failures
		}
	}
	if len(hits) == 0 {
		return Finding{}, false
	}
	f := Finding{
		Role:       RoleValidity,
		Confidence: 0.7,
		Summary: fmt.Sprintf("%s request(s) over %d request name(s) counted as success carried the %s-byte page that failed requests carry (%s).",
			humanize.Thousands(n), len(hits), model.BytesText(F), b.Failure.From),
		Headline: fmt.Sprintf("%s error pages of %s bytes counted as success", humanize.Thousands(n), model.BytesText(F)),
		Interpretation: fmt.Sprintf("For %d endpoints, (average size × requests − successes × the %s-byte login page) / failures gives the same %s bytes: the failure page. Rows whose average is an exact mix of that page and the login page, with more such pages than failures, had error pages accepted as success (a catch_response that did not check the status).",
			len(b.Failure.Rows), model.BytesText(L), model.BytesText(F)),
		Recommendation: "Fail requests on status >= 400 in catch_response blocks; recount the run's failures.",
		Metrics:        map[string]float64{"error_body_bytes": F, "requests": float64(n)},
		Key:            "error-page-as-success|failure-page",
	}
	for _, h := range hits {
		f.Evidence = append(f.Evidence, noted(StatEvidence(h.row), fmt.Sprintf("%s: %d response(s) of %s B counted as success", StatCols(h.row, "requests", "failures", "size"), h.n, model.BytesText(F))))
	}
	for _, v := range b.Failure.Rows {
		solved := (*v.AvgContentSize*float64(v.Requests) - float64(v.Requests-v.Failures)*L) / float64(v.Failures)
		f.Evidence = append(f.Evidence, noted(StatEvidence(v), fmt.Sprintf("(%s × %s − %s × %s) / %s = %s B per failure",
			humanize.Thousands(v.Requests), model.BytesText(*v.AvgContentSize), humanize.Thousands(v.Requests-v.Failures), model.BytesText(L),
			humanize.Thousands(v.Failures), model.BytesText(math.Round(solved)))))
	}
	return f, true
}
