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

// Checks that read _failures.csv error texts: client errors (the test is
// calling the wrong thing), connection errors (the server was not there),
// and one endpoint failing alone (its own bug).

func init() {
	RegisterCheck("client-errors", checkClientErrors)
	RegisterCheck("server-unreachable", checkServerUnreachable)
	RegisterCheck("single-endpoint-failure", checkSingleEndpointFailure)
}

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

func checkClientErrors(ctx *Context) []Finding {
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

var unreachableMarks = []string{"ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError", "RemoteDisconnected",
	"NewConnectionError", "Max retries exceeded", "Connection refused", "Connection reset", "Connection aborted", "ConnectTimeout", "status code 0", "status 0"}

func isUnreachable(e string) bool {
	for _, m := range unreachableMarks {
		if strings.Contains(e, m) {
			return true
		}
	}
	return false
}

func checkServerUnreachable(ctx *Context) []Finding {
	r := ctx.Run
	var rows []*parsers.FailureRow
	var n int64
	for _, fr := range model.FailureRows(r) {
		if isUnreachable(fr.Error) {
			rows = append(rows, fr)
			n += fr.Occurrences
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Occurrences > rows[j].Occurrences })
	total := aggRequests(r)
	f := Finding{
		Severity:   "high",
		Confidence: 0.9,
		Summary: fmt.Sprintf("%s requests over %d request name(s) failed without an HTTP response (connection refused/reset/aborted): %.1f%% of %s requests.",
			humanize.Thousands(n), len(rows), pct(n, total), humanize.Thousands(total)),
		Interpretation: "The server was down, restarting (runserver's autoreloader), or dropping connections (listen backlog full, worker crashed). These failures say nothing about endpoint latency; during that time the test measured an absent server.",
		Recommendation: "Check the server's log around the onset for a restart or crash, run without the autoreloader (--noreload) and rerun.",
		Metrics:        map[string]float64{"failures": float64(n), "share_pct": pct(n, total)},
	}
	if n*2 >= total && total > 0 {
		f.Severity = "critical"
	}
	// Onset: the first history second with failures (the history does not
	// say which kind; stated as such).
	for i := range r.History {
		h := &r.History[i]
		if h.TotalFailures > 0 {
			f.Evidence = append(f.Evidence, noted(HistoryEvidence(h), "first failures in the history (any kind)"))
			f.Metrics["onset_users"] = float64(h.Users)
			break
		}
	}
	for _, fr := range rows {
		f.Evidence = append(f.Evidence, FailureEvidence(fr))
	}
	return []Finding{f}
}

func checkSingleEndpointFailure(ctx *Context) []Finding {
	r := ctx.Run
	minReq := int64(param(ctx, "min_requests", 20))
	hi, lo := param(ctx, "failing_ratio", 0.5), param(ctx, "clean_ratio", 0.02)
	var failing, clean []*parsers.StatRow
	for _, s := range model.RequestRows(r) {
		if model.IsAuthName(s.Name) || s.Requests < minReq {
			continue
		}
		ratio := float64(s.Failures) / float64(s.Requests)
		switch {
		case ratio >= hi:
			failing = append(failing, s)
		case ratio <= lo:
			clean = append(clean, s)
		default:
			return nil // failures spread over endpoints: not one endpoint's bug
		}
	}
	if len(failing) != 1 || len(clean) < int(param(ctx, "min_clean", 3)) {
		return nil
	}
	s := failing[0]
	f := Finding{
		Category:   "test-validity",
		Confidence: 0.75,
		Summary: fmt.Sprintf("%s failed %d of %d times (%.0f%%) while %d other request names with at least %d requests stayed at or below %.0f%% failures.",
			rowLabel(s), s.Failures, s.Requests, pct(s.Failures, s.Requests), len(clean), minReq, lo*100),
		Interpretation: "Failures confined to one endpoint under the same load point at that endpoint (its code, its data, or the request the locustfile sends it), not at shared infrastructure such as the database pool.",
		Recommendation: "Read the failures and server tracebacks for this endpoint and test it alone.",
		Metrics:        map[string]float64{"failure_pct": pct(s.Failures, s.Requests), "clean_names": float64(len(clean))},
	}
	f.Evidence = append(f.Evidence, StatEvidence(s))
	for _, fr := range model.FailureRows(r) {
		if fr.Name == s.Name {
			f.Evidence = append(f.Evidence, FailureEvidence(fr))
		}
	}
	sortRowsByRequests(clean)
	for _, c := range clean {
		f.Evidence = append(f.Evidence, noted(StatEvidence(c), "clean"))
	}
	return []Finding{f}
}
