package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// loginPostMissing: the login page was fetched but the credentials were
// never posted (or the POSTs were still pending).
var loginPostMissing = &Check[loginPostMissingParams]{
	ID:    "login-post-missing",
	Doc:   "login page fetched but the login POST is missing",
	Needs: []Need{{SrcStats}},
	Run:   runLoginPostMissing,
}

func init() { register(loginPostMissing) }

type loginPostMissingParams struct {
	MinPostRatio float64 `yaml:"min_post_ratio"` // POSTs per successful login GET below which it fires
}

// poolEvents returns the run's locust_auth pool messages that say the pool
// is not what a multi-user test needs.
func poolEvents(r *correlate.Run) (invalid, single []*correlate.Event) {
	for i := range r.Events {
		e := &r.Events[i]
		if e.Kind != parsers.KindPoolConfig {
			continue
		}
		m := strings.ToLower(e.Message)
		switch {
		case strings.Contains(m, "invalid entry"):
			invalid = append(invalid, e)
		case strings.Contains(m, "single_user_pool"):
			single = append(single, e)
		}
	}
	return invalid, single
}

func runLoginPostMissing(ctx *Context, p *loginPostMissingParams) []Finding {
	r := ctx.Run
	get, post := model.LoginRows(r)
	if get == nil || get.Requests == 0 {
		return nil
	}
	var posts int64
	if post != nil {
		posts = post.Requests
	}
	minRatio := p.MinPostRatio
	if float64(posts) >= minRatio*float64(get.Requests) {
		return nil
	}
	missing := get.Requests - posts
	f := Finding{
		Metrics: map[string]float64{"login_gets": float64(get.Requests), "login_posts": float64(posts), "missing_posts": float64(missing)},
	}
	f.Evidence = append(f.Evidence, StatEvidence(get))
	if posts == 0 {
		f.Confidence = 0.9
		f.Summary = fmt.Sprintf("%s users fetched the login page (%s) but no login POST was recorded: the run's %s%% failure rate covers the login page only.",
			humanize.Thousands(get.Requests), rowLabel(get), fmtNum(pct(aggFailures(r), aggRequests(r))))
	} else {
		f.Severity = "medium"
		f.Confidence = 0.7
		f.Evidence = append(f.Evidence, StatEvidence(post))
		f.Summary = fmt.Sprintf("Only %s login POSTs for %s login page GETs: %s users never completed a login POST, so the POST's %d/%d success figure describes %.0f%% of the users.",
			humanize.Thousands(posts), humanize.Thousands(get.Requests), humanize.Thousands(missing), post.Requests-post.Failures, post.Requests, pct(posts, get.Requests))
	}
	f.Interpretation = "Locust records a request only when it completes. Either the users never sent the POST (the locustfile skipped it: no credentials, e.g. a TEST_USER_POOL entry it rejected) or the POSTs were still waiting when the test stopped."
	invalid, single := poolEvents(r)
	for _, e := range invalid {
		f.Evidence = append(f.Evidence, EventEvidence(e))
	}
	for _, e := range single {
		f.Evidence = append(f.Evidence, EventEvidence(e))
	}
	if len(invalid) > 0 {
		f.Confidence = 0.95
		f.Interpretation += fmt.Sprintf(" Here the locustfile rejected %d TEST_USER_POOL entr(ies) (missing ':password'), so users had no credentials to post.", len(invalid))
	} else if len(r.Events) == 0 {
		f.Missing = append(f.Missing, "locust_login_failures.log (TEST_USER_POOL messages) or the Locust console log for the window")
	}
	if t, ok := findIdleTail(r); ok && t.Seconds() >= 30 {
		f.Evidence = append(f.Evidence, noted(HistoryEvidence(t.From), "last request completed"), noted(HistoryEvidence(t.To), fmt.Sprintf("%.0f s later, %d users still running", t.Seconds(), t.Users)))
		f.Metrics["idle_tail_s"] = t.Seconds()
	}
	f.Recommendation = "Fix the credentials (TEST_USER_POOL as user:password,user:password) and confirm the POST count equals the user count before reading the run's login success rate."
	return []Finding{f}
}
