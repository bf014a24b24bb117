package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// userClassWithoutTasks: Locust's "No tasks defined on <class>".
var userClassWithoutTasks = &Check[noParams]{
	ID:    "user-class-without-tasks",
	Doc:   "a user class had no tasks to run",
	Needs: []Need{{SrcExceptions}},
	Run:   runUserClassWithoutTasks,
}

func init() { register(userClassWithoutTasks) }

const noTasksPrefix = "No tasks defined on "

// noTaskClasses returns the "No tasks defined on X" exception rows and the
// class names they name.
func noTaskClasses(r *correlate.Run) (rows []*parsers.ExceptionRow, classes []string) {
	seen := map[string]bool{}
	for _, e := range model.ExceptionRows(r) {
		msg := e.Message
		k := strings.Index(msg, noTasksPrefix)
		if k < 0 {
			msg = e.Traceback
			k = strings.Index(msg, noTasksPrefix)
			if k < 0 {
				continue
			}
		}
		rest := msg[k+len(noTasksPrefix):]
		end := strings.IndexAny(rest, ". {")
		if end < 0 {
			end = len(rest)
		}
		c := rest[:end]
		rows = append(rows, e)
		if c != "" && !seen[c] {
			seen[c] = true
			classes = append(classes, c)
		}
	}
	sort.Strings(classes)
	return rows, classes
}

func sumExc(rows []*parsers.ExceptionRow) int64 {
	var n int64
	for _, e := range rows {
		n += e.Count
	}
	return n
}

func runUserClassWithoutTasks(ctx *Context, _ *noParams) []Finding {
	r := ctx.Run
	rows, classes := noTaskClasses(r)
	if len(rows) == 0 {
		return nil
	}
	n := sumExc(rows)
	f := Finding{
		Confidence: 0.95,
		Summary: fmt.Sprintf("User class %s had no tasks: Locust raised \"No tasks defined on …\" %s times; the users it spawned sent no requests.",
			strings.Join(classes, ", "), humanize.Thousands(n)),
		Interpretation: "Every task of the class was filtered out (by --tags/--exclude-tags) or the class defines none. Locust still spawns its share of the users; each one only raises this exception and waits, so the load the run applied is smaller than its user count says.",
		Recommendation: "Fix the tag filter or mark the class abstract; compare only runs whose user classes all had tasks.",
		Metrics:        map[string]float64{"exceptions": float64(n)},
	}
	// The HTML report's task table gives the share of users per class.
	users := model.UsersMax(r)
	for _, c := range classes {
		var ratio float64
		found := false
		for _, t := range r.Tasks {
			if t.UserClass == c {
				ratio, found = t.ClassRatio, true
				break
			}
		}
		if found && users > 0 {
			f.Metrics["users_"+c] = ratio * float64(users)
			f.Summary += fmt.Sprintf(" %s held %.0f%% of the %d users (HTML tasks table).", c, ratio*100, users)
		}
	}
	if len(r.Tasks) == 0 {
		f.Missing = append(f.Missing, "the HTML report's tasks table (share of users per class)")
	}
	for _, e := range rows {
		f.Evidence = append(f.Evidence, ExceptionEvidence(e))
	}
	return []Finding{f}
}
