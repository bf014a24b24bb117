package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Checks that read _failures.csv error texts: client errors mean the test
// is calling the wrong thing.
var clientErrors = &Check[noParams]{
	ID:    "client-errors",
	Doc:   "requests rejected with 4xx client errors",
	Needs: []Need{{SrcFailures}},
	Run:   runClientErrors,
}

func init() { register(clientErrors) }

// 4xx status in requests' HTTPError text ("404 Client Error: Not Found for
// url: ...") or a locustfile's CatchResponseError('HTTP 403').
var clientStatusRE = regexp.MustCompile(`(?:^|[^0-9])(4[0-9][0-9])(?: Client Error|'|\)|:|$| )`)

func clientStatus(f *parsers.FailureRow) string {
	e := f.Error
	if !strings.Contains(e, "Client Error") && !strings.Contains(e, "HTTP 4") && !strings.Contains(strings.ToLower(e), "status") {
		return ""
	}
	if m := clientStatusRE.FindStringSubmatch(e); m != nil {
		return m[1]
	}
	return ""
}

func runClientErrors(ctx *Context, _ *noParams) []Finding {
	r := ctx.Run
	by := map[string][]*parsers.FailureRow{}
	for _, f := range model.FailureRows(r) {
		if c := clientStatus(f); c != "" {
			by[c] = append(by[c], f)
		}
	}
	codes := make([]string, 0, len(by))
	for c := range by {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var out []Finding
	for _, c := range codes {
		rows := by[c]
		var n int64
		names := []string{}
		for _, f := range rows {
			n += f.Occurrences
			names = append(names, f.Name)
		}
		sort.Strings(names)
		f := Finding{
			Severity:   scaledSeverity(Medium, n, aggRequests(r), false),
			Confidence: 0.9,
			Summary:    fmt.Sprintf("%s requests failed with HTTP %s on %d request name(s).", humanize.Thousands(n), c, len(rows)),
			Metrics:    map[string]float64{"status": atof(c), "failures": float64(n), "names": float64(len(rows))},
		}
		switch c {
		case "404":
			if p := commonPrefix(names); len(rows) >= 2 && strings.Count(p, "/") >= 2 {
				f.Summary += fmt.Sprintf(" All of them start with %q.", p)
				f.Interpretation = "404s on several endpoints sharing one prefix point at a route mismatch between the locustfile and the application's URLs (a renamed or missing prefix), not at load."
			} else {
				f.Interpretation = "The locustfile requests URLs the application does not serve (wrong path or id that does not exist)."
			}
			f.Recommendation = "Compare the locustfile's paths with the app's urls.py and fix them; these requests measured nothing."
		case "403":
			f.Interpretation = "403 from Django is usually CSRF (POST without the X-CSRFToken header matching the csrftoken cookie) or a permission check: the test's requests are rejected before the view runs."
			f.Recommendation = "Send the CSRF token with unsafe requests and log in users with the needed permissions."
		case "405":
			f.Interpretation = "The locustfile uses an HTTP method the view does not accept."
			f.Recommendation = "Fix the method in the locustfile."
		case "429":
			f.Interpretation = "The application rate-limited the test (e.g. allauth login limits per IP): load from one host looks like an attack."
			f.Recommendation = "Disable or raise the rate limits for the load test, or spread users over several IPs."
		default:
			f.Interpretation = "Client errors mean the test sends requests the application rejects; they are test defects, not server failures."
			f.Recommendation = "Fix the requests in the locustfile."
		}
		for _, fr := range rows {
			f.Evidence = append(f.Evidence, FailureEvidence(fr))
		}
		out = append(out, f)
	}
	return out
}

func atof(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

func commonPrefix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i+1]
	}
	return p
}
