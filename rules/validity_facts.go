package rules

import (
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// Facts about a Locust run that several test-validity checks share. They
// read only the run's own Locust files (stats, history, failures,
// exceptions, HTML meta and the console command line) and log events the
// correlation stage attached to the run.

// onlyAuthRequests reports whether every request the run recorded was a
// login/logout request (and there was at least one).
func onlyAuthRequests(r *correlate.Run) bool {
	rows := model.RequestRows(r)
	if len(rows) == 0 {
		return false
	}
	for _, s := range rows {
		if s.Requests > 0 && !model.IsAuthName(s.Name) {
			return false
		}
	}
	return true
}

// idleTail is the end of a run during which users were still running but
// no request completed: the cumulative request count (not Locust's
// Requests/s column, which keeps repeating its last window value) stays
// flat from From to To.
type idleTail struct {
	From, To *parsers.HistoryRow
	Users    int64
}

func (t idleTail) Seconds() float64 { return t.To.Time.Sub(t.From.Time).Seconds() }

// findIdleTail returns the run's idle tail, ok=false when the last history
// row still counts new requests or users are gone.
func findIdleTail(r *correlate.Run) (idleTail, bool) {
	h := r.History
	if len(h) < 2 {
		return idleTail{}, false
	}
	last := &h[len(h)-1]
	if last.Users == 0 || last.TotalRequests == 0 {
		return idleTail{}, false
	}
	i := len(h) - 1
	for i > 0 && h[i-1].TotalRequests == last.TotalRequests {
		i--
	}
	if i == len(h)-1 {
		return idleTail{}, false
	}
	return idleTail{From: &h[i], To: last, Users: last.Users}, true
}

var noTokenRE = regexp.MustCompile(`(?:^|[_\-.])no[_\-]([a-z][a-z0-9]*)`)

// nameExclusions returns the kinds a run's name says were left out
// ("..._no_export_no_admin" → export, admin). "nolimit" is not one.
func nameExclusions(name string) []string {
	var out []string
	for _, m := range noTokenRE.FindAllStringSubmatch(strings.ToLower(name), -1) {
		out = append(out, m[1])
	}
	return out
}

// tagArgs returns the values given to --tags/-T or --exclude-tags/-E in a
// Locust command line (each argument as written), plus any "tags" /
// "exclude_tags" meta values the console parser extracted.
func tagArgs(r *correlate.Run, exclude bool) (vals []string, src *parsers.MetaRow) {
	key, long, short := "tags", "--tags", "-T"
	if exclude {
		key, long, short = "exclude_tags", "--exclude-tags", "-E"
	}
	for i := range r.Meta {
		m := &r.Meta[i]
		switch m.Key {
		case key:
			if v := strings.TrimSpace(m.Value); v != "" {
				vals = append(vals, strings.Fields(strings.Trim(v, "[]"))...)
				src = m
			}
		case "command_line":
			f := strings.Fields(m.Value)
			for j := 0; j < len(f); j++ {
				a := f[j]
				if strings.HasPrefix(a, long+"=") {
					vals = append(vals, strings.TrimPrefix(a, long+"="))
					src = m
					continue
				}
				if a != long && a != short {
					continue
				}
				for j+1 < len(f) && !strings.HasPrefix(f[j+1], "-") {
					j++
					vals = append(vals, f[j])
					src = m
				}
			}
		}
	}
	for i := range vals {
		vals[i] = strings.Trim(vals[i], `"'[],`+" ")
	}
	return vals, src
}

// numEq compares two figures Locust printed (content sizes, sizes derived
// from them) to within tol.
func numEq(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func isWhole(f float64) bool { return math.Abs(f-math.Round(f)) < 1e-6 }

// sortRowsByRequests orders rows by request count (most first), then name.
func sortRowsByRequests(rows []*parsers.StatRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Requests != rows[j].Requests {
			return rows[i].Requests > rows[j].Requests
		}
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		return rows[i].Type < rows[j].Type
	})
}

// param reads a numeric rule parameter; checks may run without a rule in
// unit tests.
func param(ctx *Context, name string, def float64) float64 {
	if ctx.Rule == nil {
		return def
	}
	return ctx.Rule.Float(name, def)
}

func paramString(ctx *Context, name, def string) string {
	if ctx.Rule == nil {
		return def
	}
	return ctx.Rule.String(name, def)
}

// paramMap reads a map parameter (YAML mapping of strings).
func paramMap(ctx *Context, name string, def map[string]string) map[string]string {
	if ctx.Rule == nil {
		return def
	}
	m, ok := ctx.Rule.Params[name].(map[string]any)
	if !ok {
		return def
	}
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}
