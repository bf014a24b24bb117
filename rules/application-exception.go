package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/humanize"
)

// applicationException reports exception clusters raised in the app's own
// code (database and pool errors are other rules').
var applicationException = &Check[applicationExceptionParams]{
	ID:    "application-exception",
	Doc:   "exceptions raised by the application's own code",
	Needs: []Need{{SrcDjango, SrcRunserver}},
	Run:   runApplicationException,
}

func init() { register(applicationException) }

type applicationExceptionParams struct {
	MaxFindings int `yaml:"max_findings"` // clusters reported, largest first
}

// dbExcRE: exceptions that belong to the pool and database rules, not to
// the application's own code.
var dbExcRE = MustPattern(`(?i)OperationalError|InterfaceError|DatabaseError|ProtocolViolation|PoolTimeout|ConnectionError|query_wait_timeout|` +
	`could not connect|server closed the connection`)

func libraryFrame(frame string) bool {
	f := strings.ToLower(strings.ReplaceAll(frame, `\`, "/"))
	return frame == "" || strings.Contains(f, "site-packages") || strings.Contains(f, "dist-packages") ||
		strings.Contains(f, "/lib/python") || strings.HasPrefix(f, "<frozen")
}

func runApplicationException(ctx *Context, p *applicationExceptionParams) []Finding {
	run := ctx.Run
	var out []Finding
	limit := p.MaxFindings
	from, to, windowed := ownWindow(ctx)
	for i := range run.Clusters {
		c := &run.Clusters[i]
		if c.Kind != "exception" || c.ExcType == "" {
			continue
		}
		if windowed && !c.First.IsZero() && (!c.Last.After(from) || !c.First.Before(to)) {
			continue // another run's exceptions, seen through the margin
		}
		if matches(dbExcRE, c.ExcType+": "+c.Template) {
			continue // pgbouncer-pool-exhausted / database-unreachable
		}
		server := false
		for _, s := range c.Sources {
			if s == "django" || s == "runserver" {
				server = true
			}
		}
		if !server {
			continue // a Locust-side exception is the test's, not the app's
		}
		inApp := !libraryFrame(c.Frame)
		var ev []Evidence
		for j := range c.Examples {
			ev = append(ev, RefEvidence(&c.Examples[j]))
		}
		where := "with no frame of the app's own code in the traceback"
		if inApp {
			where = "raised at " + c.Frame
		} else if c.Frame != "" {
			where = "innermost frame " + c.Frame + " (library code)"
		}
		sum := fmt.Sprintf("%s: %s — %s %s, %s", c.ExcType, c.Template, humanize.Thousands(c.Count), humanize.Plural(c.Count, "time", "times"), where)
		if len(c.Endpoints) > 0 {
			eps := c.Endpoints
			more := ""
			if len(eps) > 6 {
				more = fmt.Sprintf(" (+%d more)", len(eps)-6)
				eps = eps[:6]
			}
			sum += "; it broke " + strings.Join(eps, ", ") + more
		}
		if !c.First.IsZero() {
			sum += fmt.Sprintf("; first %s, last %s", fmtTime(c.First), fmtTime(c.Last))
			if u, h := usersAt(run, c.First); h != nil && u > 0 {
				sum += fmt.Sprintf(" (first with %d users)", u)
			}
		}
		if len(c.Sources) > 1 {
			sum += " (counted over " + strings.Join(c.Sources, " and ") + ", which may log the same record)"
		}
		sev := scaledSeverity(High, c.Count, aggRequests(run), false)
		if len(c.Endpoints) == 0 {
			sev = scaledSeverity(Medium, c.Count, aggRequests(run), false)
		}
		conf := 0.9
		if !inApp {
			conf = 0.7
		}
		out = append(out, Finding{
			Severity:   sev,
			Confidence: conf,
			Summary:    sum + ".",
			Interpretation: "An exception from the application's code, not from the database or the pooler: it fails the same way " +
				"whatever the load, so the requests it breaks are errors to fix, not capacity limits.",
			Recommendation: "Fix the code at the named frame (the traceback in the cited record shows the call path); add a test " +
				"for the endpoint; rerun.",
			Evidence: ev,
			Metrics:  map[string]float64{"count": float64(c.Count), "endpoints": float64(len(c.Endpoints))},
		})
		if len(out) == limit {
			break
		}
	}
	return out
}
