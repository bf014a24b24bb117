package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
)

// csrfRejected: Django's CSRF middleware refused requests before the view.
var csrfRejected = &Check[noParams]{
	ID:    "csrf-rejected",
	Doc:   "requests rejected by Django's CSRF check",
	Needs: []Need{{SrcDjango, SrcRunserver}},
	Run:   runCSRFRejected,
}

func init() { register(csrfRejected) }

var csrfWords = []string{"CSRF", "checking failed"}

var csrfRE = MustPattern(`(?i)Forbidden \(CSRF[^)]*\)|CSRF (?:token|cookie|verification|failed)|(?:Origin|Referer) checking failed`)

func runCSRFRejected(ctx *Context, _ *noParams) []Finding {
	run := ctx.Run
	perFile := map[string]int64{}
	reasons := map[string]int64{}
	paths := map[string]int64{}
	var ev []Evidence
	for _, e := range ownEvents(ctx).All() {
		if !serverSource(e) {
			continue
		}
		isCSRF := e.Kind() == schema.KindForbidden || strings.HasPrefix(e.Logger(), "django.security.csrf") ||
			(e.Kind() != schema.KindRequest && containsAny(e.Message(), csrfWords) && matches(csrfRE, e.Message()))
		if !isCSRF {
			continue
		}
		perFile[e.File()] += 1 + e.Duplicates()
		ev = append(ev, EventEvidence(e))
		msg := firstLine(e.Message())
		reason := msg
		if i := strings.Index(msg, "("); i >= 0 {
			if j := strings.Index(msg[i:], ")"); j > 0 {
				reason = msg[i+1 : i+j]
			}
		}
		reasons[reason] += 1 + e.Duplicates()
		p := e.Path()
		if p == "" {
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				p = strings.TrimSpace(msg[i+2:])
			}
		}
		if p != "" {
			paths[templatePath(p)] += 1 + e.Duplicates()
		}
	}
	n, _ := maxPerFile(perFile)
	// 403s on the request lines and in Locust's failures back it up.
	var n403 int64
	for _, e := range ownEvents(ctx).All() {
		if e.Kind() == schema.KindRequest && e.HasStatus() && e.StatusOr0() == 403 {
			n403 += 1 + e.Duplicates()
		}
	}
	var csv403 int64
	var evCSV []Evidence
	for _, f := range model.FailureRows(run) {
		if failureStatus(f.Error) == 403 || matches(csrfRE, f.Error) {
			csv403 += f.Occurrences
			evCSV = append(evCSV, FailureEvidence(f))
		}
	}
	if n == 0 {
		return nil // a 403 alone may be a permission check, not CSRF
	}
	// Per-file counts: django.security lines reach django_errors.log and
	// runserver stderr alike.
	sum := fmt.Sprintf("Django rejected %s %s for CSRF (%s) on %s", humanize.Thousands(n), humanize.Plural(n, "request", "requests"), countBy(reasons, 3), countBy(paths, 5))
	if n403 > 0 {
		sum += fmt.Sprintf("; %s request lines answered 403", humanize.Thousands(n403))
	}
	if csv403 > 0 {
		sum += fmt.Sprintf("; Locust counted %s of them as failures", humanize.Thousands(csv403))
	}
	conf := 0.9
	if n403 == 0 && csv403 == 0 {
		conf = 0.8
	}
	return []Finding{{
		Role:       RoleCause,
		Severity:   scaledSeverity(High, n, aggRequests(run), false),
		Confidence: conf,
		Summary:    sum + ".",
		Interpretation: "The CSRF middleware refused these POSTs before the view ran: the client did not send the csrftoken " +
			"cookie and the X-CSRFToken header / csrfmiddlewaretoken field that match (session lost, token not read from the " +
			"login page, or Origin/Referer not trusted). They measure the test client, not the endpoint.",
		Recommendation: "In the locustfile, read the csrftoken cookie after GET of the page and send it as X-CSRFToken (and a " +
			"Referer for HTTPS); keep the session between requests; check CSRF_TRUSTED_ORIGINS.",
		Evidence: append(PickEvidence(ev, 3), evCSV...),
		Metrics:  map[string]float64{"csrf_rejections": float64(n), "http_403": float64(n403), "locust_403": float64(csv403)},
	}}
}
