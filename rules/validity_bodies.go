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
// a few fixed sizes. A request counted as success whose body is the login
// page never reached the application.

func init() {
	RegisterCheck("responses-are-login-page", checkLoginPageBodies)
	RegisterCheck("error-page-as-success", checkErrorPageBodies)
}

// loginPageSize learns the login page's size from the run itself: the login
// GET row when every response had the same size (a whole-number average
// with no failure), else runserver lines "GET /accounts/login/ 200 SIZE"
// when they all agree.
func loginPageSize(ctx *Context, r *correlate.Run) (size float64, ev Evidence, ok bool) {
	get, _ := model.LoginRows(r)
	if get != nil && get.Requests > 0 && get.Failures == 0 && get.AvgContentSize != nil && isWhole(*get.AvgContentSize) && *get.AvgContentSize > 0 {
		return *get.AvgContentSize, noted(StatEvidence(get), "every login page response was this size"), true
	}
	path := paramString(ctx, "login_path", "/accounts/login/")
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

// loginPageRows returns the rows where every success (and possibly every
// failure) was the login page: average = L, or an exact mix of L and the
// failure body F with at least n−f L-sized bodies.
func loginPageRows(r *correlate.Run, L, F float64) []bodyRow {
	var out []bodyRow
	for _, s := range model.RequestRows(r) {
		if model.IsAuthName(s.Name) || s.AvgContentSize == nil || s.Requests == 0 {
			continue
		}
		ok := s.Requests - s.Failures
		if numEq(*s.AvgContentSize, L, 0.005) {
			if ok > 0 {
				out = append(out, bodyRow{s, ok})
			}
			continue
		}
		if F > 0 {
			if k, good := mixCount(s, L, F); good && k > 0 {
				if k > ok {
					k = ok
				}
				if k > 0 {
					out = append(out, bodyRow{s, k})
				}
			}
		}
	}
	return out
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

func checkLoginPageBodies(ctx *Context) []Finding {
	r := ctx.Run
	L, lev, ok := loginPageSize(ctx, r)
	if !ok {
		return nil
	}
	F, _ := failureBodySize(r, L, int(param(ctx, "min_agree", 3)))
	rows := loginPageRows(r, L, F)
	if len(rows) == 0 {
		return nil
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].n > rows[j].n })
	var affected int64
	for _, b := range rows {
		affected += b.n
	}
	total, fails := aggRequests(r), aggFailures(r)
	var nonAuth int64
	for _, s := range model.RequestRows(r) {
		if !model.IsAuthName(s.Name) {
			nonAuth += s.Requests
		}
	}
	share := pct(affected, total)
	f := Finding{
		Confidence: 0.85,
		Summary: fmt.Sprintf("%s requests over %d request names were counted as success but returned the login page (%s bytes): %.1f%% of all %s requests (%.1f%% of the non-login ones). Counting them as failures, the failure rate is %.2f%%, not %.2f%%.",
			humanize.Thousands(affected), len(rows), fmtNum(L), share, humanize.Thousands(total), pct(affected, nonAuth), pct(fails+affected, total), pct(fails, total)),
		Interpretation: "Their average body size equals the login page's size (or is an exact mix of it and the failure page): the users were not logged in and Django's login_required redirected them to the login page, which Locust followed and counted as a 200. Those requests never exercised the endpoint; their latency is the login page's.",
		Recommendation: "Make the locustfile fail a request whose final URL is the login page (catch_response; check response.url or history), fix the logins, and rerun.",
		Metrics: map[string]float64{"login_page_bytes": L, "affected_requests": float64(affected), "affected_pct": share,
			"failure_pct": pct(fails, total), "effective_failure_pct": pct(fails+affected, total)},
	}
	if F > 0 {
		f.Metrics["failure_body_bytes"] = F
	}
	if share < param(ctx, "high_share_pct", 10) {
		f.Severity = "medium"
	}
	f.Evidence = append(f.Evidence, lev)
	for _, b := range rows {
		note := "average size = the login page"
		if !numEq(*b.row.AvgContentSize, L, 0.005) {
			note = fmt.Sprintf("average = %d login pages + %d failure pages of %s B", b.n, b.row.Requests-b.n, fmtNum(F))
		}
		f.Evidence = append(f.Evidence, noted(StatEvidence(b.row), note))
	}
	return []Finding{f}
}

// knownPages reads the rule's known_pages parameter: size in bytes → what
// page it is (the user's CSRF-failure 403 page is 2,494 bytes).
func knownPages(ctx *Context) map[int64]string {
	out := map[int64]string{}
	for k, v := range paramMap(ctx, "known_pages", nil) {
		if n, err := strconv.ParseInt(k, 10, 64); err == nil {
			out[n] = v
		}
	}
	return out
}

func checkErrorPageBodies(ctx *Context) []Finding {
	r := ctx.Run
	var out []Finding
	L, _, haveL := loginPageSize(ctx, r)
	// 1. A failure body inferred from several endpoints, returned with
	// requests counted as success.
	if haveL {
		F, voters := failureBodySize(r, L, int(param(ctx, "min_agree", 3)))
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
	known := knownPages(ctx)
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
		if !isKnown || len(rows) < int(param(ctx, "min_endpoints", 3)) {
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
