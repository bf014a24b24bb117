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
	"github.com/logcorr/logcorr/parsers"
)

// Content-size arithmetic. Locust's "Average Content Size" is the mean body
// length of a request name's responses (after redirects). Fixed-size pages
// — the login page a logged-out user is redirected to, an error page — show
// up as averages equal to that size, or as averages that are an exact mix of
// a few fixed sizes.
var errorPageAsSuccess = &Check[errorPageAsSuccessParams]{
	ID:    "error-page-as-success",
	Doc:   "error pages (one fixed body across endpoints) counted as successful responses",
	Needs: []Need{{SrcStats}},
	Run:   runErrorPageAsSuccess,
}

func init() { register(errorPageAsSuccess) }

type errorPageAsSuccessParams struct {
	LoginPath    string            `yaml:"login_path"`    // runserver path of the login page
	MinAgree     int               `yaml:"min_agree"`     // endpoints that must give one failure body
	MinEndpoints int               `yaml:"min_endpoints"` // endpoints sharing one fixed body
	KnownPages   map[string]string `yaml:"known_pages"`   // size in bytes → what page it is
}

// loginPageSize learns the login page's size from the run itself: the login
// GET row when every response had the same size (a whole-number average
// with no failure), else runserver lines "GET /accounts/login/ 200 SIZE"
// when they all agree.
func loginPageSize(r *correlate.Run, path string) (size float64, ev Evidence, ok bool) {
	get, _ := model.LoginRows(r)
	if get != nil && get.Requests > 0 && get.Failures == 0 && get.AvgContentSize != nil && isWhole(*get.AvgContentSize) && *get.AvgContentSize > 0 {
		return *get.AvgContentSize, noted(StatEvidence(get), "every login page response was this size"), true
	}
	var sizes []int64
	var first *correlate.Event
	for i := range r.Events {
		e := &r.Events[i]
		if e.Kind != parsers.KindRequest || e.Method != "GET" || e.Status == nil || *e.Status != 200 || e.Size == nil {
			continue
		}
		if p := e.Path; p == path || strings.HasPrefix(p, path+"?") {
			sizes = append(sizes, *e.Size)
			if first == nil {
				first = e
			}
		}
	}
	if len(sizes) == 0 {
		return 0, Evidence{}, false
	}
	for _, s := range sizes[1:] {
		if s != sizes[0] {
			return 0, Evidence{}, false
		}
	}
	ev = EventEvidence(first)
	ev.Text += fmt.Sprintf(" — all %d GET %s 200 lines are %d bytes", len(sizes), path, sizes[0])
	return float64(sizes[0]), ev, true
}

// bodyRow is a request row whose responses include n fixed-size bodies.
type bodyRow struct {
	row *parsers.StatRow
	n   int64 // responses of the fixed size counted as success
}

// mixCount solves avg·n = k·a + (n−k)·b for a whole k in 0..n, the number
// of a-sized bodies in a row whose bodies are all a or b bytes.
func mixCount(s *parsers.StatRow, a, b float64) (int64, bool) {
	if s.AvgContentSize == nil || a == b || s.Requests == 0 {
		return 0, false
	}
	n := float64(s.Requests)
	k := (*s.AvgContentSize*n - n*b) / (a - b)
	// Locust prints the average with ~15 significant digits: allow for it.
	if math.Abs(k-math.Round(k)) > 0.02 || math.Round(k) < 0 || math.Round(k) > n {
		return 0, false
	}
	return int64(math.Round(k)), true
}

// failureBodySize infers the size of the body failures carry:
// (avg·n − (n−f)·L)/f for rows whose successes were the login page, kept
// when at least minAgree rows give the same whole number.
func failureBodySize(r *correlate.Run, L float64, minAgree int) (float64, []*parsers.StatRow) {
	votes := map[int64][]*parsers.StatRow{}
	for _, s := range model.RequestRows(r) {
		if model.IsAuthName(s.Name) || s.AvgContentSize == nil || s.Failures == 0 || s.Failures > s.Requests {
			continue
		}
		n, f := float64(s.Requests), float64(s.Failures)
		v := (*s.AvgContentSize*n - (n-f)*L) / f
		if v <= 0 || math.Abs(v-math.Round(v)) > 0.02 || math.Round(v) == L {
			continue
		}
		votes[int64(math.Round(v))] = append(votes[int64(math.Round(v))], s)
	}
	best, bestN := int64(0), 0
	for v, rows := range votes {
		if len(rows) > bestN || (len(rows) == bestN && v < best) {
			best, bestN = v, len(rows)
		}
	}
	if bestN < minAgree {
		return 0, nil
	}
	return float64(best), votes[best]
}

// knownPages reads the rule's known_pages parameter: size in bytes → what
// page it is (the user's CSRF-failure 403 page is 2,494 bytes).
func knownPages(pages map[string]string) map[int64]string {
	out := map[int64]string{}
	for k, v := range pages {
		if n, err := strconv.ParseInt(k, 10, 64); err == nil {
			out[n] = v
		}
	}
	return out
}

func runErrorPageAsSuccess(ctx *Context, p *errorPageAsSuccessParams) []Finding {
	r := ctx.Run
	var out []Finding
	L, _, haveL := loginPageSize(r, p.LoginPath)
	// 1. A failure body inferred from several endpoints, returned with
	// requests counted as success.
	if haveL {
		F, voters := failureBodySize(r, L, p.MinAgree)
		if F > 0 {
			var hits []bodyRow
			var n int64
			for _, s := range model.RequestRows(r) {
				if model.IsAuthName(s.Name) || s.AvgContentSize == nil {
					continue
				}
				k, ok := mixCount(s, F, L)
				if ok && k > s.Failures {
					hits = append(hits, bodyRow{s, k - s.Failures})
					n += k - s.Failures
				}
			}
			if len(hits) > 0 {
				f := Finding{
					Confidence: 0.7,
					Summary: fmt.Sprintf("%s request(s) over %d request name(s) counted as success carried the %s-byte body that failed requests carry (inferred from %d endpoints).",
						humanize.Thousands(n), len(hits), fmtNum(F), len(voters)),
					Interpretation: fmt.Sprintf("For %d endpoints, (average size × requests − successes × %s-byte login page) / failures gives the same %s bytes: the failure (error) page. Rows whose average is an exact mix of that page and the login page with more such pages than failures had error pages accepted as success (a catch_response that did not check the status).", len(voters), fmtNum(L), fmtNum(F)),
					Recommendation: "Fail requests on status >= 400 in catch_response blocks; recount the run's failures.",
					Metrics:        map[string]float64{"error_body_bytes": F, "requests": float64(n)},
				}
				for _, h := range hits {
					f.Evidence = append(f.Evidence, noted(StatEvidence(h.row), fmt.Sprintf("%d response(s) of %s B counted as success", h.n, fmtNum(F))))
				}
				for _, v := range voters {
					f.Evidence = append(f.Evidence, noted(StatEvidence(v), fmt.Sprintf("failures here carry %s B", fmtNum(F))))
				}
				out = append(out, f)
			}
		}
	}
	// 2. One fixed body size that is the whole average of several
	// endpoints with no failure: a shared page, not endpoint data. Known
	// sizes (known_pages) are named.
	known := knownPages(p.KnownPages)
	shared := map[int64][]*parsers.StatRow{}
	for _, s := range model.RequestRows(r) {
		if model.IsAuthName(s.Name) || s.AvgContentSize == nil || s.Failures != 0 || s.Requests == 0 || !isWhole(*s.AvgContentSize) {
			continue
		}
		v := int64(math.Round(*s.AvgContentSize))
		if v <= 0 || (haveL && float64(v) == L) {
			continue
		}
		shared[v] = append(shared[v], s)
	}
	sizes := make([]int64, 0, len(shared))
	for v := range shared {
		sizes = append(sizes, v)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	for _, v := range sizes {
		rows := shared[v]
		what, isKnown := known[v]
		if !isKnown || len(rows) < p.MinEndpoints {
			continue
		}
		sortRowsByRequests(rows)
		var n int64
		for _, s := range rows {
			n += s.Requests
		}
		f := Finding{
			Confidence: 0.8,
			Summary: fmt.Sprintf("%s requests over %d request names were counted as success but every response was %s bytes: %s.",
				humanize.Thousands(n), len(rows), humanize.Thousands(v), what),
			Interpretation: "Different endpoints returning bodies of exactly the same size is a shared page, not their data. Locust counted these responses as successes, so the run's failure rate leaves them out.",
			Recommendation: "Fail requests on status >= 400 (catch_response must check the status), fix the cause (for a CSRF page: send the csrftoken cookie value as X-CSRFToken), and rerun.",
			Metrics:        map[string]float64{"body_bytes": float64(v), "requests": float64(n), "effective_failure_pct": pct(aggFailures(r)+n, aggRequests(r))},
		}
		for _, s := range rows {
			f.Evidence = append(f.Evidence, StatEvidence(s))
		}
		out = append(out, f)
	}
	return out
}
