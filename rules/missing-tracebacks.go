package rules

import (
	"fmt"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model/schema"
)

// missingTracebacks finds "Internal Server Error" records that carry no
// traceback, with none linked from elsewhere (stderr, an Unhandled
// exception line): the run's 5xx cannot be explained from its logs.
var missingTracebacks = &Check[noParams]{
	ID:    "missing-tracebacks",
	Doc:   "server errors logged without a traceback",
	Needs: []Need{{SrcDjango}},
	Run:   runMissingTracebacks,
}

func init() { register(missingTracebacks) }

// checkMissingTracebacks finds "Internal Server Error" records that carry
// no traceback, with none linked from elsewhere (stderr, an Unhandled
// exception line): the run's 5xx cannot be explained from its logs.
func runMissingTracebacks(ctx *Context, _ *noParams) []Finding {
	traced := map[string]bool{} // anchor/server-error refs whose chain found a traceback
	for _, c := range ownChains(ctx) {
		if c.Traceback != nil && c.ServerError != nil {
			traced[refKey(c.ServerError.File, c.ServerError.Line)] = true
		}
	}
	perFile := map[string]int64{}
	totalPerFile := map[string]int64{}
	paths := map[string]int64{}
	var ev []Evidence
	for _, e := range ownEvents(ctx).All() {
		if e.Kind() != schema.KindServerError {
			continue
		}
		totalPerFile[e.File()] += 1 + e.Duplicates()
		if e.Traceback() != "" || e.ExcType() != "" || traced[refKey(e.File(), e.Line())] {
			continue
		}
		perFile[e.File()] += 1 + e.Duplicates()
		if e.Path() != "" {
			paths[templatePath(e.Path())] += 1 + e.Duplicates()
		}
		ev = append(ev, EventEvidence(e))
	}
	n, files := maxPerFile(perFile)
	if n == 0 {
		return nil
	}
	total, _ := maxPerFile(totalPerFile)
	tbElsewhere := false
	for _, e := range ownEvents(ctx).All() {
		if (e.Kind() == schema.KindTraceback || e.Kind() == schema.KindUnhandled) && serverSource(e) {
			tbElsewhere = true
			break
		}
	}
	sum := fmt.Sprintf("%s of %s `Internal Server Error` records carry no traceback and none could be linked (%s); endpoints: %s",
		humanize.Thousands(n), humanize.Thousands(total), strings.Join(files, ", "), countBy(paths, 6))
	if tbElsewhere {
		sum += ". Some tracebacks exist in the logs but could not be tied to these records"
	}
	sev := Medium.String()
	return []Finding{{
		Severity:   sev,
		Confidence: 0.9,
		Summary:    sum + ".",
		Interpretation: "Django logged that a request failed but not why: a custom exception middleware turned the exception into a " +
			"500 (the user's ExceptionHandlerMiddleware did), or the handler's formatter drops exc_info. Without the " +
			"traceback the 5xx can only be explained by correlation.",
		Recommendation: "Log exceptions with their traceback in django_errors.log (logger.exception / exc_info=True in the " +
			"middleware, or let django.request log them); capture runserver's stderr too.",
		Evidence: PickEvidence(ev, MaxEvidence),
		Missing:  []string{"tracebacks for the cited Internal Server Error records"},
		Metrics:  map[string]float64{"without_traceback": float64(n), "server_error_records": float64(total)},
	}}
}

func refKey(file string, line int64) string { return fmt.Sprintf("%s:%d", file, line) }
