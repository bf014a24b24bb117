package rules

import (
	"fmt"
	"sort"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
)

// responsesAreLoginPage: requests counted as success whose body was the
// login page never reached the application.
var responsesAreLoginPage = &Check[responsesAreLoginPageParams]{
	ID:    "responses-are-login-page",
	Doc:   "successful responses were the login page",
	Needs: []Need{{SrcStats}},
	Run:   runResponsesAreLoginPage,
}

func init() { register(responsesAreLoginPage) }

type responsesAreLoginPageParams struct {
	LoginPath    string  `yaml:"login_path"`     // runserver path of the login page
	HighSharePct float64 `yaml:"high_share_pct"` // share of requests for high severity
	MinAgree     int     `yaml:"min_agree"`      // endpoints that must give one failure body
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

func runResponsesAreLoginPage(ctx *Context, p *responsesAreLoginPageParams) []Finding {
	r := ctx.Run
	L, lev, ok := loginPageSize(r, p.LoginPath)
	if !ok {
		return nil
	}
	F, _ := failureBodySize(r, L, p.MinAgree)
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
	if share < p.HighSharePct {
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
