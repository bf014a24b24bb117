package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
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
func poolEvents(r *correlate.Run) (invalid, single []correlate.Event) {
	for _, ev := range r.Events.All() {
		e := &ev
		if e.Kind() != schema.KindPoolConfig {
			continue
		}
		m := strings.ToLower(e.Message())
		switch {
		case strings.Contains(m, "invalid entry"):
			invalid = append(invalid, *e)
		case strings.Contains(m, "single_user_pool"):
			single = append(single, *e)
		}
	}
	return invalid, single
}

func runLoginPostMissing(ctx *Context, p *loginPostMissingParams) []Finding {
	r := ctx.Run
	get, post := model.LoginRows(r)
	if get == nil || get.Requests-get.Failures <= 0 {
		return nil
	}
	// A user posts credentials only after a login page that loaded.
	gets := get.Requests - get.Failures
	var posts int64
	if post != nil {
		posts = post.Requests
	}
	if float64(posts) >= p.MinPostRatio*float64(gets) {
		return nil
	}
	missing := gets - posts
	f := Finding{
		Role:    RoleValidity,
		Metrics: map[string]float64{"login_gets": float64(get.Requests), "login_gets_ok": float64(gets), "login_posts": float64(posts), "missing_posts": float64(missing)},
	}
	f.Evidence = append(f.Evidence, noted(StatEvidence(get), StatCols(get, "requests", "failures", "median")))
	okGets := fmt.Sprintf("%s users loaded the login page", humanize.Thousands(gets))
	if get.Failures > 0 {
		okGets += fmt.Sprintf(" (%s of %s GETs succeeded)", humanize.Thousands(gets), humanize.Thousands(get.Requests))
	}
	if posts == 0 {
		f.Confidence = 0.9
		f.Summary = fmt.Sprintf("%s but no login POST was recorded: the run's %s failure rate covers the login page only.",
			okGets, humanize.Pct(pct(aggFailures(r), aggRequests(r))))
	} else {
		f.Severity = Medium.String()
		f.Confidence = 0.7
		f.Evidence = append(f.Evidence, noted(StatEvidence(post), StatCols(post, "requests", "failures", "median", "max")))
		f.Summary = fmt.Sprintf("%s but only %s login POSTs completed: %s logins are missing, so the POST's %d/%d success figure describes %.0f%% of them.",
			okGets, humanize.Thousands(posts), humanize.Thousands(missing), post.Requests-post.Failures, post.Requests, pct(posts, gets))
	}
	tail, haveTail := findIdleTail(r)
	if haveTail && tail.Seconds() >= 30 {
		f.Evidence = append(f.Evidence, noted(HistoryEvidence(tail.From), "last request completed"), noted(HistoryEvidence(tail.To), fmt.Sprintf("%.0f s later, %d users still running", tail.Seconds(), tail.Users)))
		f.Metrics["idle_tail_s"] = tail.Seconds()
	}
	invalid, single := poolEvents(r)
	for _, e := range invalid {
		f.Evidence = append(f.Evidence, EventEvidence(e))
	}
	for _, e := range single {
		f.Evidence = append(f.Evidence, EventEvidence(e))
	}
	// Locust records a request only when it completes: a POST still
	// waiting in a queue when the run stopped is not missing. Pending when
	// the run ended sooner after the last completed request than a queue
	// timeout this folder shows for login POSTs.
	wait, waitRun := knownLoginWait(ctx)
	pending := haveTail && wait > 0 && tail.Seconds()*1000 < wait
	f.Interpretation = "Locust records a request only when it completes. Either the users never sent the POST (the locustfile skipped it) or the POSTs were still waiting when the test stopped."
	switch {
	case len(invalid) > 0:
		f.Confidence = 0.95
		f.Interpretation += fmt.Sprintf(" Here the locustfile rejected %d TEST_USER_POOL entr(ies) (missing ':password'), so users had no credentials to post.", len(invalid))
		f.Recommendation = "Fix the credentials (TEST_USER_POOL as user:password,user:password) and confirm the POST count equals the user count before reading the run's login success rate."
		f.Headline = fmt.Sprintf("%s login POSTs never sent: the locustfile rejected TEST_USER_POOL entries", humanize.Thousands(missing))
	case pending:
		f.Confidence = 0.8
		f.Summary += fmt.Sprintf(" They were most likely still pending, not missing: the run ended %.0f s after its last completed request, and login POSTs in %s took up to %s (a queue timeout).",
			tail.Seconds(), waitRun, humanize.Millis(wait))
		f.Interpretation += " Here the run stopped before a login POST could have come back from the queue its scenario shows."
		f.Recommendation = "Run at least one queue timeout past the last login page (or fix what holds the logins: the database pool), then compare the POST count with the users before reading the login success rate."
		f.Headline = fmt.Sprintf("%s login POSTs still pending when the run stopped: no login was measured", humanize.Thousands(missing))
		if posts > 0 {
			f.Headline = fmt.Sprintf("%s of %s logins still pending when the run stopped: its login figures describe %s of them", humanize.Thousands(missing), humanize.Thousands(gets), humanize.Thousands(posts))
		}
		f.Metrics["known_wait_ms"] = wait
	default:
		f.Recommendation = "Find why the users did not post credentials (the locustfile's log says whether it skipped them) or whether the POSTs were still queued (a longer run shows it), and confirm the POST count equals the users before reading the login success rate."
		f.Headline = fmt.Sprintf("%s logins have no login POST: the run's login figures describe the login page", humanize.Thousands(missing))
		if posts > 0 {
			f.Headline = fmt.Sprintf("%s of %s logins have no login POST: the login figures describe %s of them", humanize.Thousands(missing), humanize.Thousands(gets), humanize.Thousands(posts))
		}
		if r.Events.Len() == 0 {
			f.Missing = append(f.Missing, "locust_login_failures.log or Locust's console log (whether the locustfile skipped the POST: TEST_USER_POOL messages)")
		}
		if wait == 0 {
			f.Missing = append(f.Missing, "a run of the same scenario with login POSTs, or PgBouncer's log: how long a login POST can wait, to tell pending from missing")
		}
	}
	return []Finding{f}
}

// knownLoginWait is the longest a login POST is known to wait in this
// folder: PgBouncer's query_wait_timeout from the run's own log (age=), or
// the slowest login POST at a ceiling in a run of the same scenario. 0
// when none is known.
func knownLoginWait(ctx *Context) (ms float64, from string) {
	if pf := gatherPool(ctx); len(pf.Ages) > 0 {
		lo, _ := minMax(pf.Ages)
		return float64(lo) * 1000, "PgBouncer's log (query_wait_timeout)"
	}
	cp, _ := ctx.paramsOf(latencyCeiling.ID).(*latencyCeilingParams)
	if cp == nil {
		return 0, ""
	}
	for _, o := range ctx.scenario().siblings(ctx.Run) {
		_, post := model.LoginRows(o)
		if post == nil || post.Max == nil {
			continue
		}
		if c := ceilingOf(o, cp); c.has(post) && *post.Max > ms {
			ms, from = *post.Max, o.Name
		}
	}
	return ms, from
}
