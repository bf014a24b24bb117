package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
)

// authOnlyRun: a run whose every request was part of the login flow,
// presented as a full test.
var authOnlyRun = &Check[authOnlyRunParams]{
	ID:    "auth-only-run",
	Doc:   "the run exercised only authentication",
	Needs: []Need{{SrcStats}},
	Run:   runAuthOnlyRun,
}

func init() { register(authOnlyRun) }

type authOnlyRunParams struct {
	AuthNameToken string `yaml:"auth_name_token"` // a run name with it was meant to test logins only
}

func authRowsEvidence(r *correlate.Run, note string) []Evidence {
	var ev []Evidence
	for _, s := range model.RequestRows(r) {
		ev = append(ev, noted(StatEvidence(s), note))
	}
	return ev
}

func runAuthOnlyRun(ctx *Context, p *authOnlyRunParams) []Finding {
	r := ctx.Run
	if !model.OnlyAuth(r) || nameSays(r.Name, p.AuthNameToken) {
		return nil
	}
	total := aggRequests(r)
	f := Finding{
		Confidence: 0.8,
		Summary: fmt.Sprintf("Run %q recorded only authentication requests (%s requests, %s failures) although its name does not say auth-only: no application endpoint was measured.",
			r.Name, humanize.Thousands(total), humanize.Thousands(aggFailures(r))),
		Interpretation: "Every request name is part of the login flow. Its failure rate and percentiles are login figures and cannot be compared with full runs' figures. Typical causes: a task filter that matched nothing but untagged tasks, user classes without tasks, or users that stop (or block) after logging in.",
		Recommendation: "Do not report this run as a full load test; find why no other task ran (command line, exceptions) and rerun.",
		Metrics:        map[string]float64{"requests": float64(total), "users_max": float64(model.UsersMax(r))},
	}
	f.Evidence = authRowsEvidence(r, "")
	if t, ok := findIdleTail(r); ok && t.Seconds() >= 30 {
		f.Confidence = 0.9
		f.Summary += fmt.Sprintf(" For the last %.0f s %d users ran and no request completed.", t.Seconds(), t.Users)
		f.Evidence = append(f.Evidence, noted(HistoryEvidence(t.From), "last request completed"), noted(HistoryEvidence(t.To), "end of history"))
		f.Metrics["idle_tail_s"] = t.Seconds()
	}
	if table, _ := classTable(r); table != "" {
		f.Summary += " " + table
	} else {
		f.Missing = append(f.Missing, "the HTML report's user-class table (which classes ran, with what weights)")
	}
	if rows, classes := noTaskClasses(r); len(rows) > 0 {
		f.Interpretation += fmt.Sprintf(" Here user class %s had no tasks (see user-class-without-tasks).", strings.Join(classes, ", "))
	}
	return []Finding{f}
}
