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

// locustfileException reports the exceptions the locustfile's own code
// raised (Locust's _exceptions.csv, or the HTML report's table): a task
// that raises stops its iteration, the requests after it are never made,
// and Locust counts the exception in no request's failures. "No tasks
// defined on <class>" is user-class-without-tasks'.
var locustfileException = &Check[locustfileExceptionParams]{
	ID:    "locustfile-exception",
	Doc:   "the locustfile raised exceptions in its tasks",
	Needs: []Need{{SrcExceptions}},
	Run:   runLocustfileException,
}

func init() { register(locustfileException) }

type locustfileExceptionParams struct {
	HighSharePct float64 `yaml:"high_share_pct"` // exceptions per 100 requests for high severity
	List         int     `yaml:"list"`           // exceptions named in the summary
}

// frameRE is a traceback frame: File "path", line N, in func.
var frameRE = regexp.MustCompile(`File "([^"]+)", line (\d+), in (\S+)`)

// innermostFrame is the last frame of the traceback outside Locust and
// the libraries: where the locustfile raised.
func innermostFrame(tb string) string {
	var last string
	for _, m := range frameRE.FindAllStringSubmatch(tb, -1) {
		if libraryFrame(m[1]) {
			continue
		}
		file := m[1]
		if i := strings.LastIndexAny(file, `/\`); i >= 0 {
			file = file[i+1:]
		}
		last = fmt.Sprintf("%s:%s in %s", file, m[2], m[3])
	}
	return last
}

func runLocustfileException(ctx *Context, p *locustfileExceptionParams) []Finding {
	r := ctx.Run
	var rows []*parsers.ExceptionRow
	var n int64
	for _, x := range model.ExceptionRows(r) {
		if strings.Contains(x.Message, noTasksPrefix) || strings.Contains(x.Traceback, noTasksPrefix) {
			continue // user-class-without-tasks
		}
		rows = append(rows, x)
		n += x.Count
	}
	if len(rows) == 0 {
		return nil
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Count > rows[j].Count })
	var parts []string
	jsonOnHTML := false
	for i, x := range rows {
		if strings.Contains(x.Message, "JSONDecodeError") || strings.Contains(x.Message, "Expecting value") {
			jsonOnHTML = true
		}
		if i == p.List {
			parts = append(parts, fmt.Sprintf("+%d more", len(rows)-p.List))
			break
		}
		s := fmt.Sprintf("%s ×%s", firstLine(x.Message), humanize.Thousands(x.Count))
		if fr := innermostFrame(x.Traceback); fr != "" {
			s += " at " + fr
		}
		parts = append(parts, s)
	}
	total := aggRequests(r)
	f := Finding{
		Role:       RoleValidity,
		Confidence: 0.95,
		Summary: fmt.Sprintf("The locustfile raised %s %s in its own code (%s): %s.",
			humanize.Thousands(n), humanize.Plural(n, "exception", "exceptions"), rows[0].File, strings.Join(parts, "; ")),
		Headline: fmt.Sprintf("the locustfile raised %s exceptions (%s)", humanize.Thousands(n), firstLine(rows[0].Message)),
		Impact:   "each exception ended its task's iteration: the requests after it were never made, and no failure counts it",
		Interpretation: "Locust records an exception raised by a task in _exceptions.csv, not as a request failure: the run's failure rate leaves these out, " +
			"and the task's later requests never ran, so the load was lower than the user count says.",
		Recommendation: "Fix the locustfile at the named frame (check the response before parsing it: status, final URL, content type) and rerun.",
		Metrics:        map[string]float64{"exceptions": float64(n), "kinds": float64(len(rows)), "per_100_requests": round3(pct(n, total))},
		Key:            "locustfile-exception",
	}
	if jsonOnHTML {
		f.Interpretation += " A JSONDecodeError (\"Expecting value: line 1 column 1\") is what response.json() raises on an HTML page: a task that expected JSON got the login page."
		if b := ctx.bodies(); b.LoginPages > 0 {
			f.Interpretation += " This run's responses were largely login pages (responses-are-login-page), which fits."
		}
	}
	f.Severity = Medium.String()
	if pct(n, total) >= p.HighSharePct {
		f.Severity = High.String()
	}
	for _, x := range rows {
		f.Evidence = append(f.Evidence, ExceptionEvidence(x))
	}
	return []Finding{f}
}
