package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// The server's 5xx count against Locust's, per request name. They rarely
// match: Locust names a request by its first URL and follows redirects
// inside it (a login POST that redirects to a failing page is one Locust
// failure under the login's name, a 302 and a 500 on the server), Locust
// stops counting when the run ends while queued requests still finish on
// the server, and a locustfile's own names ("[AUTH] Logout") are not
// paths. reconcile5xx says by how much and why, from the data.

type count5xx struct {
	server, locust int64
	names          []string // Locust names mapped to the key
}

// reconcile5xx returns a sentence comparing the server's 5xx request lines
// (in the run's own window) with Locust's 5xx failures, per name; "" when
// the run has no server request lines.
func reconcile5xx(ctx *Context) string {
	run := ctx.Run
	by := map[string]*count5xx{}
	get := func(k string) *count5xx {
		c := by[k]
		if c == nil {
			c = &count5xx{}
			by[k] = c
		}
		return c
	}
	var server, after int64
	for _, e := range ownEvents(ctx).All() {
		if e.Kind() != schema.KindRequest || !e.HasStatus() || e.StatusOr0() < 500 {
			continue
		}
		n := 1 + e.Duplicates()
		server += n
		get(e.Method() + " " + templatePath(e.Path())).server += n
		if !run.End.IsZero() && e.Resolved() && e.Time().After(run.End) {
			after += n
		}
	}
	if server == 0 {
		return ""
	}
	rows, locust := csv5xx(run)
	for _, f := range rows {
		k := serverKey(f, by)
		c := get(k)
		c.locust += f.Occurrences
		if !strings.HasPrefix(f.Name, "/") {
			c.names = append(c.names, f.Name)
		}
	}
	keys := make([]string, 0, len(by))
	for k, c := range by {
		if c.server != c.locust {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		di, dj := abs64(by[keys[i]].server-by[keys[i]].locust), abs64(by[keys[j]].server-by[keys[j]].locust)
		if di != dj {
			return di > dj
		}
		return keys[i] < keys[j]
	})
	s := fmt.Sprintf("the server answered %s requests with 5xx, Locust recorded %s", humanize.Thousands(server), humanize.Thousands(locust))
	if len(keys) == 0 {
		return s + ", the same per request name"
	}
	var parts []string
	for i, k := range keys {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("+%d more", len(keys)-5))
			break
		}
		c := by[k]
		label := k
		if len(c.names) > 0 {
			label += " (" + strings.Join(c.names, ", ") + ")"
		}
		parts = append(parts, fmt.Sprintf("%s %s vs %s", label, humanize.Thousands(c.server), humanize.Thousands(c.locust)))
	}
	s += " (server vs Locust: " + strings.Join(parts, "; ") + ")"
	var why []string
	if after > 0 {
		why = append(why, fmt.Sprintf("%s of the server's came after Locust stopped at %s (queued requests finishing)", humanize.Thousands(after), fmtTime(run.End)))
	}
	if server-after > locust {
		why = append(why, "a redirect Locust follows is one request under its first name, so a failing redirect target (a login or logout that lands on a failing page) counts once in Locust and twice on the server")
	}
	if locust > server {
		why = append(why, "Locust also counts 5xx whose server line falls outside the window read")
	}
	if len(why) > 0 {
		s += "; " + strings.Join(why, "; ")
	}
	return s
}

// serverKey maps a Locust failure row to the server's "METHOD /path" key:
// path-named requests by their template, the locustfile's own names by
// the login/logout paths the server saw.
func serverKey(f *parsers.FailureRow, by map[string]*count5xx) string {
	method := strings.ToUpper(f.Method)
	if strings.HasPrefix(f.Name, "/") {
		return method + " " + f.Name
	}
	low := strings.ToLower(f.Name)
	want := ""
	switch {
	case strings.Contains(low, "logout"):
		want = "logout"
	case model.IsLoginName(low):
		want = "login"
	}
	if want != "" {
		var cands []string
		for k := range by {
			m, p, _ := strings.Cut(k, " ")
			if m == method && strings.Contains(strings.ToLower(p), want) {
				cands = append(cands, k)
			}
		}
		sort.Strings(cands)
		if len(cands) > 0 {
			return cands[0]
		}
	}
	return method + " " + f.Name
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
