package rules

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
)

// responsesAreLoginPage: requests counted as success whose body was the
// login page never reached the application. The split of every row into
// login pages, failure pages and real data is model.Measure's, learned
// across the runs of the analysis; this rule says what it means for the
// run, with the arithmetic.
var responsesAreLoginPage = &Check[responsesAreLoginPageParams]{
	ID:    "responses-are-login-page",
	Doc:   "successful responses were the login page: the run did not measure the endpoints",
	Needs: []Need{{SrcStats}},
	Run:   runResponsesAreLoginPage,
}

func init() { register(responsesAreLoginPage) }

type responsesAreLoginPageParams struct {
	HighSharePct   float64 `yaml:"high_share_pct"`   // login-page share of non-login successes for high severity
	NotMeasuredPct float64 `yaml:"not_measured_pct"` // ...at which the run does not measure the app (critical)
	LowSharePct    float64 `yaml:"low_share_pct"`    // below it, low severity
	ShowRows       int     `yaml:"show_rows"`        // rows cited with their arithmetic
}

func runResponsesAreLoginPage(ctx *Context, p *responsesAreLoginPageParams) []Finding {
	r := ctx.Run
	b := ctx.bodies()
	if b.LoginPage == nil || b.Successes == 0 || b.LoginPages < 0.5 && b.Near == 0 {
		return nil
	}
	L := b.LoginPage.Bytes
	low, high := b.LoginPageShare()*100, b.UpperShare()*100
	total, fails := aggRequests(r), aggFailures(r)
	loginN := int64(math.Round(b.LoginPages))
	effective := pct(fails+loginN, total)
	notMeasured := low >= p.NotMeasuredPct

	// Rows ranked by how many login pages they carry, then near-login
	// rows (probable), for the evidence.
	rows := append([]model.RowSplit(nil), b.Rows...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].LoginPages != rows[j].LoginPages {
			return rows[i].LoginPages > rows[j].LoginPages
		}
		return rows[i].Successes > rows[j].Successes
	})
	var redirected []string
	nRedirect := 0
	for _, s := range rows {
		if s.Successes > 0 && s.LoginShare() >= 0.9 {
			nRedirect++
			if len(redirected) < 3 {
				redirected = append(redirected, s.Row.Name)
			}
		}
	}

	var sum strings.Builder
	lead := fmt.Sprintf("%s of the %s non-login responses Locust counted as success were the %s-byte login page",
		shareRange(low, high), humanize.Thousands(b.Successes), humanize.Thousands(int64(L)))
	if notMeasured {
		fmt.Fprintf(&sum, "This run does not measure the application: %s", lead)
	} else {
		sum.WriteString(capitalize(lead))
	}
	if b.RealFromReference || b.Real > 0 {
		fmt.Fprintf(&sum, "; only about %s (%.1f %%) carried real data", humanize.Thousands(int64(math.Round(b.Real))), 100*b.Real/float64(b.Successes))
	}
	fmt.Fprintf(&sum, " (users not logged in, redirected by login_required). Counting the login pages as failures the failure rate is %s, not %s",
		humanize.Pct(effective), humanize.Pct(pct(fails, total)))
	if nRedirect > 0 {
		fmt.Fprintf(&sum, "; %d request %s answered the login page at least 90 %% of the time (%s%s), so their latencies are the login redirect's",
			nRedirect, humanize.Plural(int64(nRedirect), "name", "names"), strings.Join(redirected, ", "), moreText(nRedirect-len(redirected)))
	}
	sum.WriteString(".")

	method := []string{fmt.Sprintf("per request name, requests × Average Content Size = login pages × %s B (%s)", humanize.Thousands(int64(L)), b.LoginPage.From)}
	if b.Failure != nil {
		method = append(method, fmt.Sprintf("+ failures × %s B (the failure page, %s)", humanize.Thousands(int64(b.Failure.Bytes)), b.Failure.From))
	}
	if b.Reference != nil {
		method = append(method, fmt.Sprintf("+ real × the endpoint's body in %s, where every login worked", b.Reference.Name))
	} else {
		method = append(method, "+ real data; no run of this analysis had working logins, so only rows of exactly the login page's size (or a mix of it and the failure page) are counted, and JSON APIs averaging within 5 % of it are named as probable")
	}

	f := Finding{
		Role:       RoleValidity,
		Confidence: 0.85,
		Summary:    sum.String(),
		Headline:   headlineLoginPages(notMeasured, low, high, b.Successes, L),
		Impact: fmt.Sprintf("effective failure rate %s (reported %s); per-endpoint p95s and hotspots of the redirected names describe the login page, not the endpoints",
			humanize.Pct(effective), humanize.Pct(pct(fails, total))),
		RuledOut: []string{"a measurement of the endpoints' own latency or errors: most responses never reached them"},
		Interpretation: "Django's login_required answers a user who is not logged in with a redirect to the login page; Locust follows it and records a 200 " +
			"with the login page's body. The split is arithmetic on Locust's own averages: " + strings.Join(method, " ") + ".",
		Recommendation: "Make the logins work first (see the findings on the login POST), fail any request whose final URL is the login page " +
			"(catch_response: check response.url or response.history), and rerun before reading any endpoint's figures.",
		Metrics: map[string]float64{
			"login_page_bytes": L, "affected_requests": float64(loginN), "affected_pct": round3(pct(loginN, total)),
			"login_page_pct": round3(low), "login_page_pct_upper": round3(high), "non_login_successes": float64(b.Successes),
			"real_responses": round3(b.Real), "failure_pct": round3(pct(fails, total)), "effective_failure_pct": round3(effective),
		},
	}
	if b.Failure != nil {
		f.Metrics["failure_body_bytes"] = b.Failure.Bytes
	}
	switch {
	case notMeasured:
		f.Severity = Critical.String()
	case low >= p.HighSharePct:
		f.Severity = High.String()
	case low >= p.LowSharePct:
		f.Severity = Medium.String()
	default:
		f.Severity = Low.String()
	}
	if b.Reference == nil {
		f.Confidence = 0.75
		f.Missing = append(f.Missing, "a run in the same folder where logins worked (no failed login, every login POST answering the redirect's page): it gives each endpoint's real body size, so mixed rows can be split")
	}
	if b.LoginPage.Row != nil {
		f.Evidence = append(f.Evidence, noted(StatEvidence(b.LoginPage.Row), "the login page: "+StatCols(b.LoginPage.Row, "requests", "failures", "size")))
	} else if b.LoginPage.Line != nil {
		f.Evidence = append(f.Evidence, noted(EventEvidence(*b.LoginPage.Line), b.LoginPage.From))
	}
	shown := 0
	for _, s := range rows {
		if shown == p.ShowRows {
			break
		}
		if s.LoginPages < 0.5 && s.Kind != model.SplitNearLogin {
			continue
		}
		f.Evidence = append(f.Evidence, noted(StatEvidence(s.Row), StatCols(s.Row, "requests", "failures", "size")+": "+s.Arithmetic))
		if s.RefRow != nil && shown == 0 {
			f.Evidence = append(f.Evidence, noted(StatEvidence(s.RefRow), "the same endpoint where logins worked: "+StatCols(s.RefRow, "requests", "failures", "size")))
		}
		shown++
	}
	return []Finding{f}
}

// shareRange writes "at least 90.0 % (up to 95.2 %)" or "90.0 %".
func shareRange(low, high float64) string {
	if high-low < 0.05 {
		return fmt.Sprintf("%.1f %%", low)
	}
	if low < 0.05 {
		return fmt.Sprintf("up to %.1f %%", high)
	}
	return fmt.Sprintf("at least %.1f %% (up to %.1f %%)", low, high)
}

func headlineLoginPages(notMeasured bool, low, high float64, succ int64, L float64) string {
	s := fmt.Sprintf("%s of %s non-login responses counted as success were the %s-byte login page", shareRange(low, high), humanize.Thousands(succ), humanize.Thousands(int64(L)))
	if notMeasured {
		return "This run does not measure the application: " + s
	}
	return capitalize(s)
}

func moreText(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(", +%d more", n)
}
