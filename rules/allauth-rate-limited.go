package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dlclark/regexp2/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// allauthRateLimited reads allauth's "too many failed login attempts"
// answer wherever the test or the server quoted it, and logins answered 429.
var allauthRateLimited = &Check[allauthRateLimitedParams]{
	ID:    "allauth-rate-limited",
	Doc:   "logins refused by django-allauth's rate limit",
	Needs: []Need{{SrcLocustAuth, SrcConsole, SrcFailures, SrcRunserver}},
	Run:   runAllauthRateLimited,
}

func init() { register(allauthRateLimited) }

type allauthRateLimitedParams struct {
	// Texts are regexp2 patterns for the limit's message, one per
	// language allauth ships.
	Texts []Pattern `yaml:"texts"`
}

// rateLimitRE joins the rule's texts into one case-insensitive pattern.
func rateLimitRE(texts []Pattern) (*regexp2.Regexp, error) {
	var keep []string
	for _, t := range texts {
		if t.src != "" {
			keep = append(keep, t.src)
		}
	}
	return cachedPattern(`(?i)(?:` + strings.Join(keep, `|`) + `)`)
}

// authIP is the client address auth_debug logged for a login request (its
// ip= field), "" for other events.
func authIP(e *correlate.Event) string {
	if e.Kind != parsers.KindAuthRequest {
		return ""
	}
	if ip := e.Attrs["ip"]; ip != "" {
		return ip
	}
	return messageValue(e.Message, "ip") // the auth table types it; the event keeps the text
}

// mayCarryPageText reports whether an event can quote a page's error text:
// not a request line, an auth_debug record, or the pooler's.
func mayCarryPageText(e *correlate.Event) bool {
	switch e.Kind {
	case parsers.KindRequest, parsers.KindAuthRequest, parsers.KindAuthResponse, parsers.KindStats,
		parsers.KindLoginAttempt, parsers.KindNewConnection, parsers.KindClosing:
		return false
	}
	return e.Source != "pgbouncer"
}

func runAllauthRateLimited(ctx *Context, p *allauthRateLimitedParams) []Finding {
	run := ctx.Run
	re, err := rateLimitRE(p.Texts)
	if err != nil {
		return nil // Lint reports a bad pattern; a finding cannot
	}
	// One pass over the run's events: the rate-limit page text, logins
	// answered 429 (allauth ≥ 0.55), and the client addresses of logins.
	perFile := map[string]int64{}
	var ev, ev429 []Evidence
	var first *correlate.Event
	var text string
	var n429 int64
	seenIP := map[string]bool{}
	for _, e := range ownEvents(ctx) {
		if ip := authIP(e); ip != "" {
			seenIP[ip] = true
		}
		if e.Kind == parsers.KindRequest && e.Status != nil && *e.Status == 429 && model.IsLoginName(e.Path) {
			n429 += 1 + e.Duplicates
			ev429 = append(ev429, EventEvidence(e))
		}
		if !mayCarryPageText(e) {
			continue
		}
		m, err := re.FindStringMatch(e.Message)
		if err != nil || m == nil {
			continue
		}
		// The locustfile writes each failure twice to its log (logger
		// line and raw isoformat line, merged by the parser into one
		// event, so Duplicates is not added) and once to Locust's
		// console: count events per file, take the largest, never the sum.
		perFile[e.File]++
		ev = append(ev, EventEvidence(e))
		if first == nil || e.Resolved && e.Time.Before(first.Time) {
			first = e
		}
		if text == "" {
			text = m.String()
		}
	}
	var csvN int64
	for _, f := range model.FailureRows(run) {
		m, err := re.FindStringMatch(f.Error)
		if err != nil || m == nil {
			continue
		}
		csvN += f.Occurrences
		ev = append(ev, FailureEvidence(f))
		if text == "" {
			text = m.String()
		}
	}
	ev = append(ev, ev429...)
	logN, files := maxPerFile(perFile)
	if logN == 0 && csvN == 0 && n429 == 0 {
		return nil
	}
	n := max(logN, csvN, n429)
	var sources []string
	if logN > 0 {
		sources = append(sources, fmt.Sprintf("%s in %s", humanize.Thousands(logN), strings.Join(files, ", ")))
	}
	if csvN > 0 {
		sources = append(sources, fmt.Sprintf("%s in Locust's failures", humanize.Thousands(csvN)))
	}
	if n429 > 0 {
		sources = append(sources, fmt.Sprintf("%s login requests answered 429", humanize.Thousands(n429)))
	}
	sum := "allauth refused logins with its rate-limit answer"
	if text != "" {
		sum += fmt.Sprintf(" %q", text)
	}
	sum += fmt.Sprintf(": %s login %s (%s)", humanize.Thousands(n), humanize.Plural(n, "attempt", "attempts"), strings.Join(sources, "; "))
	if first != nil && first.Resolved {
		sum += ", first at " + fmtTime(first.Time)
		if u, h := usersAt(run, first.Time); h != nil && u > 0 {
			sum += fmt.Sprintf(" with %d users running", u)
		}
	}
	m := map[string]float64{"rate_limited": float64(n), "log_lines": float64(logN), "locust_failures": float64(csvN), "http_429": float64(n429)}
	ips := make([]string, 0, len(seenIP))
	for ip := range seenIP {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	if len(ips) > 0 {
		m["client_ips"] = float64(len(ips))
		if len(ips) == 1 {
			sum += fmt.Sprintf(". Every login came from one address (%s): the limit is per IP, so all virtual users share one budget", ips[0])
		} else {
			sum += fmt.Sprintf(". Logins came from %d addresses; the limit is counted per IP", len(ips))
		}
	}
	conf := 0.9
	var missing []string
	if logN == 0 && csvN == 0 {
		conf = 0.7 // a 429 alone could be another limiter
		missing = append(missing, "the login page text (locust_login_failures.log or Locust failure message) naming the rate limit")
	}
	if len(ips) == 0 {
		missing = append(missing, "auth_debug.log (client IP of each login)")
	}
	return []Finding{{
		Confidence: conf,
		Summary:    sum + ".",
		Interpretation: "django-allauth counts failed logins per IP (ACCOUNT_LOGIN_ATTEMPTS_LIMIT / ACCOUNT_RATE_LIMITS) and, past the limit, " +
			"shows the login form again with this message. A load test from one host exhausts that budget quickly, " +
			"especially when some pool users have wrong passwords: the failures are the limiter, not the server.",
		Recommendation: "For load tests, raise or disable the login rate limit (ACCOUNT_LOGIN_ATTEMPTS_LIMIT / ACCOUNT_RATE_LIMITS), " +
			"fix the wrong credentials in TEST_USER_POOL, or spread the load over several source addresses; rerun.",
		Evidence: PickEvidence(ev, MaxEvidence),
		Missing:  missing,
		Metrics:  m,
	}}
}

// messageValue returns the value of key=value in a log message.
func messageValue(msg, key string) string {
	for _, f := range strings.Fields(msg) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}
