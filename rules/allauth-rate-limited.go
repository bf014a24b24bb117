package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dlclark/regexp2/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
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
func authIP(e correlate.Event) string {
	if e.Kind() != schema.KindAuthRequest {
		return ""
	}
	if ip := e.Attr("ip"); ip != "" {
		return ip
	}
	return messageValue(e.Message(), "ip") // the auth table types it; the event keeps the text
}

// mayCarryPageText reports whether an event can quote a page's error text:
// not a request line, an auth_debug record, or the pooler's.
func mayCarryPageText(e correlate.Event) bool {
	switch e.Kind() {
	case schema.KindRequest, schema.KindAuthRequest, schema.KindAuthResponse, schema.KindStats,
		schema.KindLoginAttempt, schema.KindNewConnection, schema.KindClosing:
		return false
	}
	return e.Source() != schema.SourcePgBouncer
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
	limited := map[string]bool{}                  // accounts refused with the limit's text
	failedOther := map[string][]correlate.Event{} // failed logins with another answer, per account
	var okLogins []correlate.Event
	filter, low := newLiteralFilter(p.Texts), []byte(nil)
	for _, e := range ownEvents(ctx).All() {
		if ip := authIP(e); ip != "" {
			seenIP[ip] = true
		}
		if u := loggedIn(e); u != "" {
			okLogins = append(okLogins, e)
		}
		if e.Kind() == schema.KindRequest && e.HasStatus() && e.StatusOr0() == 429 && model.IsLoginName(e.Path()) {
			n429 += 1 + e.Duplicates()
			ev429 = append(ev429, EventEvidence(e))
		}
		if !mayCarryPageText(e) {
			continue
		}
		var m *regexp2.Match
		var err error
		if msg := e.Message(); filter.mayMatch(msg, &low) {
			m, err = re.FindStringMatch(msg)
		}
		if err != nil || m == nil {
			if e.Kind() == schema.KindLoginFailure {
				if u := loginUser(e); u != "" {
					failedOther[u] = append(failedOther[u], e)
				}
			}
			continue
		}
		// The locustfile writes each failure twice to its log (logger
		// line and raw isoformat line, merged by the parser into one
		// event, so Duplicates is not added) and once to Locust's
		// console: count events per file, take the largest, never the sum.
		perFile[e.File()]++
		ev = append(ev, EventEvidence(e))
		if u := loginUser(e); u != "" {
			limited[u] = true
		}
		if first == nil || e.Resolved() && e.Time().Before(first.Time()) {
			first = eventPtr(e)
		}
		if text == "" {
			text = m.String()
		}
	}
	var csvN int64
	for _, f := range model.FailureRows(run) {
		if !filter.mayMatch(f.Error, &low) {
			continue // a failures CSV can hold a row per request
		}
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
	if first != nil && first.Resolved() {
		sum += ", first at " + fmtTime(first.Time())
		if u, h := usersAt(run, first.Time()); h != nil && u > 0 {
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
	}
	// Per account or per IP: decided from which accounts were refused and
	// whether the others kept logging in after the first refusal.
	after := map[string]bool{}
	var afterN int64
	var afterEv *correlate.Event
	for _, e := range okLogins {
		if first != nil && first.Resolved() && e.Resolved() && !e.Time().After(first.Time()) {
			continue
		}
		u := loggedIn(e)
		if !limited[u] {
			after[u] = true
			afterN += 1 + e.Duplicates()
			if afterEv == nil {
				afterEv = eventPtr(e)
			}
		}
	}
	var lead []Evidence
	scope := "unknown"
	interp := "django-allauth counts failed logins (ACCOUNT_LOGIN_ATTEMPTS_LIMIT / ACCOUNT_RATE_LIMITS) and, past the limit, shows the login form again with this message: the failures are the limiter, not the server."
	rec := "For load tests, raise or disable the login rate limit (ACCOUNT_LOGIN_ATTEMPTS_LIMIT / ACCOUNT_RATE_LIMITS) and fix the credentials in TEST_USER_POOL; rerun."
	switch {
	case len(limited) > 0 && len(after) > 0:
		scope = "account"
		m["accounts_limited"], m["accounts_logging_in"] = float64(len(limited)), float64(len(after))
		where := ""
		if len(ips) == 1 {
			where = " from the same address (" + ips[0] + ")"
		}
		sum += fmt.Sprintf(". Per account, not per IP: the limit refused %d %s (%s) while %d others (%s) kept logging in%s, %s %s answered 302 after the first refusal",
			len(limited), humanize.Plural(int64(len(limited)), "account", "accounts"), compactNames(limited), len(after), compactNames(after), where,
			humanize.Thousands(afterN), humanize.Plural(afterN, "login", "logins"))
		withPrior := 0
		var priorEv *correlate.Event
		for u := range limited {
			if len(failedOther[u]) > 0 {
				withPrior++
				if priorEv == nil || failedOther[u][0].Line() < priorEv.Line() {
					priorEv = &failedOther[u][0]
				}
			}
		}
		if withPrior > 0 {
			sum += fmt.Sprintf("; %d of the refused accounts had failed with another answer before the limit (%q)", withPrior, errorText(*priorEv))
			lead = append(lead, noted(EventEvidence(*priorEv), "a refused account's earlier failed login, before the limit"))
		}
		interp = "django-allauth counts failed logins per account: the accounts refused are those whose own logins kept failing, and past the limit allauth shows the form again with this message. The other accounts kept logging in from the same host, so the limiter did not stop the test as a whole: the refused accounts' credentials did."
		rec = "Fix the passwords of the refused accounts in TEST_USER_POOL (or drop them from the pool); raise ACCOUNT_LOGIN_ATTEMPTS_LIMIT for load tests only if wrong passwords are part of the test; rerun."
	case len(limited) > 1 && len(okLogins) > 0:
		scope = "ip"
		sum += fmt.Sprintf(". Every account that logged in after the first refusal was refused too (%s): consistent with a per-IP limit", compactNames(limited))
		if len(ips) == 1 {
			sum += fmt.Sprintf(", all logins coming from one address (%s)", ips[0])
		}
		interp = "django-allauth's limit here behaves per client address: once it tripped, no account logged in, so a load test from one host shares one budget."
		rec = "For load tests, raise or disable the login rate limit (ACCOUNT_RATE_LIMITS login / login_failed per IP), or spread the load over several source addresses, and fix any wrong credentials; rerun."
	case len(limited) > 0:
		sum += fmt.Sprintf(". Refused accounts: %s", compactNames(limited))
	}
	m["per_account"] = map[bool]float64{true: 1, false: 0}[scope == "account"]
	conf := 0.9
	var missing []string
	if logN == 0 && csvN == 0 {
		conf = 0.7 // a 429 alone could be another limiter
		missing = append(missing, missingFrom(ctx, "the login page text (locust_login_failures.log or Locust failure message) naming the rate limit", SrcLocustAuth, SrcConsole))
	}
	if scope == "unknown" {
		missing = append(missing, missingFrom(ctx, "auth_debug.log (who logged in, from which address): whether the limit is per account or per IP is decided from which accounts kept logging in", SrcAuthDebug))
	}
	if afterEv != nil {
		lead = append(lead, noted(EventEvidence(*afterEv), "an account not refused logging in after the first refusal"))
	}
	if first != nil {
		lead = append([]Evidence{noted(EventEvidence(*first), "the first refusal")}, lead...)
	}
	return []Finding{{
		Role:           RoleCause,
		Confidence:     conf,
		Summary:        sum + ".",
		Headline:       rateLimitHeadline(n, limited, scope),
		Impact:         rateLimitImpact(run, n),
		Interpretation: interp,
		Recommendation: rec,
		RuledOut:       []string{"a server failure: the refused logins were answered (200, the form again), nothing failed on the server"},
		Evidence:       append(lead, PickEvidence(ev, MaxEvidence-len(lead))...),
		Missing:        missing,
		Metrics:        m,
	}}
}

// errorText is what a failed-login line quotes from the page (the
// locustfile's error=, to the end of the line).
func errorText(e correlate.Event) string {
	if v := e.Attr("error"); v != "" {
		return v
	}
	if _, v, ok := strings.Cut(e.Message(), "error="); ok {
		return v
	}
	return firstLine(e.Message())
}

func rateLimitHeadline(n int64, limited map[string]bool, scope string) string {
	s := fmt.Sprintf("the login rate limit (django-allauth) refused %s login %s", humanize.Thousands(n), humanize.Plural(n, "attempt", "attempts"))
	if len(limited) > 0 {
		s += " of " + compactNames(limited)
	}
	switch scope {
	case "account":
		s += " (per account: the other accounts kept logging in)"
	case "ip":
		s += " (per IP: no account logged in after it tripped)"
	}
	return s
}

// loginUser is the account a login event names (the locustfile's
// username=, or the event's user).
func loginUser(e correlate.Event) string {
	if e.User() != "" && e.User() != "anon" {
		return e.User()
	}
	if u := e.Attr("username"); u != "" {
		return u
	}
	return messageValue(e.Message(), "username")
}

// loggedIn is the account of a login POST the server answered with a
// redirect (auth_debug's auth_response 302/303), "" for other events.
func loggedIn(e correlate.Event) string {
	if e.Kind() != schema.KindAuthResponse || !strings.EqualFold(e.Method(), "POST") || !e.HasStatus() || (e.StatusOr0() != 302 && e.StatusOr0() != 303) {
		return ""
	}
	if e.User() == "" || e.User() == "anon" {
		return ""
	}
	return e.User()
}

// compactNames writes a set of account names sorted, runs of numbered
// names as ranges: "tester011–tester016, alice".
func compactNames(set map[string]bool) string {
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	split := func(s string) (string, string) {
		i := len(s)
		for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		return s[:i], s[i:]
	}
	var out []string
	for i := 0; i < len(names); {
		pre, num := split(names[i])
		j := i
		for num != "" && j+1 < len(names) {
			p2, n2 := split(names[j+1])
			a, _ := strconv.Atoi(num)
			_, jn := split(names[j])
			b, _ := strconv.Atoi(jn)
			c, _ := strconv.Atoi(n2)
			if p2 != pre || len(n2) != len(num) || c != b+1 || a < 0 {
				break
			}
			j++
		}
		if j-i >= 2 {
			out = append(out, names[i]+"–"+names[j])
		} else {
			out = append(out, names[i:j+1]...)
		}
		i = j + 1
	}
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("+%d more", len(out)-12))
	}
	return strings.Join(out, ", ")
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

func rateLimitImpact(run *correlate.Run, n int64) string {
	_, post := model.LoginRows(run)
	if post == nil || post.Requests == 0 {
		return ""
	}
	return fmt.Sprintf("%s of %s login POSTs were refused by the limit (reported login success %s); the refused users ran their tasks without a session",
		humanize.Thousands(min(n, post.Requests)), humanize.Thousands(post.Requests), humanize.Pct(pct(post.Requests-post.Failures, post.Requests)))
}
