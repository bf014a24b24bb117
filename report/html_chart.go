package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dlclark/regexp2/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/rules"
)

// The timeline chart is plain SVG written here rather than with
// gonum.org/v1/plot: the chart is three lines, four lanes of bars, shaded
// windows and two axes, about 300 lines of Go, while gonum/plot brings a
// font stack, image encoders and its own layout engine to every build
// (the first build's speed is a requirement) and produces an SVG whose
// text is outlined glyphs, not searchable, escapable text.

// ChartOptions steer the timeline chart.
type ChartOptions struct {
	// RateLimitTexts are the patterns (regexp2) of allauth's rate-limit
	// message, as the allauth-rate-limited rule's `texts` param lists
	// them (RateLimitTexts(set)); nil marks rate limits by HTTP 429 only.
	RateLimitTexts []string
}

// RateLimitTexts reads the rate-limit message patterns from the rule set,
// so the chart marks exactly what the rule counts as a rate-limit hit.
func RateLimitTexts(set *rules.Set) []string {
	r, ok := set.Show("allauth-rate-limited")
	if !ok {
		return nil
	}
	l, _ := r.Params["texts"].([]any)
	var out []string
	for _, v := range l {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// laneClass is one kind of log event the chart marks.
type laneClass struct {
	label string
	color string
	// source is what the class needs; without any event from it the lane
	// says so instead of showing an empty lane as "none".
	source string
	// match returns how many log lines the event stands for: 0 when it is
	// not of the class, else 1 + the identical lines the parser merged
	// into it — except for message matches on the locustfile's log, whose
	// Duplicates are its two line formats of one failure.
	match func(e *correlate.Event) int64
}

func lines(e *correlate.Event) int64 { return 1 + e.Duplicates() }

func laneClasses(opt ChartOptions) []laneClass {
	var rl *regexp2.Regexp
	if len(opt.RateLimitTexts) > 0 {
		re, err := regexp2.Compile(`(?i)(?:`+strings.Join(opt.RateLimitTexts, `|`)+`)`, regexp2.None)
		if err == nil {
			re.MatchTimeout = 100 * time.Millisecond
			rl = re
		}
	}
	status := func(e *correlate.Event) int64 {
		if !e.HasStatus() {
			return 0
		}
		return e.StatusOr0()
	}
	login := func(e *correlate.Event) bool { return strings.Contains(strings.ToLower(e.Path()), "login") }
	return []laneClass{
		{"5xx responses", "#b91c1c", "runserver", func(e *correlate.Event) int64 {
			if e.Kind() == schema.KindRequest && status(e) >= 500 {
				return lines(e)
			}
			return 0
		}},
		{"pooler errors", "#7c2d12", "pgbouncer", func(e *correlate.Event) int64 {
			if e.Source() == schema.SourcePgBouncer && e.Kind() == schema.KindPoolerError {
				return lines(e)
			}
			return 0
		}},
		{"rate-limit hits", "#a16207", "", func(e *correlate.Event) int64 {
			if e.Kind() == schema.KindRequest && status(e) == 429 && login(e) {
				return lines(e)
			}
			if rl == nil || e.Source() == schema.SourcePgBouncer || e.Kind() == schema.KindRequest || e.Kind() == schema.KindAuthRequest {
				return 0
			}
			if ok, err := rl.MatchString(e.Message()); err == nil && ok {
				return 1
			}
			return 0
		}},
		{"login page again", "#6d28d9", "auth_debug", func(e *correlate.Event) int64 {
			// a login POST answered 200 is the form shown again: a failed login
			if e.Kind() == schema.KindAuthResponse && strings.EqualFold(e.Method(), "POST") && status(e) == 200 && login(e) {
				return lines(e)
			}
			return 0
		}},
	}
}

// lane is a class's per-bucket counts from one file: the file with the
// most matching events, because the same line often reaches two files
// (auth_debug lines are also in runserver's stderr; the locustfile writes
// its failures to its own log and to Locust's console).
type lane struct {
	class    laneClass
	counts   []int64
	total    int64
	file     string
	noSource bool
}

func buildLanes(r *correlate.Run, opt ChartOptions) []lane {
	classes := laneClasses(opt)
	if len(r.Timeline) == 0 {
		return nil
	}
	start, w, n := r.Timeline[0].Start, r.Timeline[0].Width, len(r.Timeline)
	sources := map[string]bool{}
	perFile := make([]map[string][]int64, len(classes))
	for i := range perFile {
		perFile[i] = map[string][]int64{}
	}
	for _, ev := range r.Events.All() {
		e := &ev
		sources[e.Source().String()] = true
		if !e.Resolved() || e.Time().Before(start) {
			continue
		}
		b := int(e.Time().Sub(start) / w)
		if b >= n {
			continue
		}
		for ci, c := range classes {
			k := c.match(e)
			if k == 0 {
				continue
			}
			cs := perFile[ci][e.File()]
			if cs == nil {
				cs = make([]int64, n)
				perFile[ci][e.File()] = cs
			}
			cs[b] += k
		}
	}
	out := make([]lane, len(classes))
	for ci, c := range classes {
		l := lane{class: c, counts: make([]int64, n)}
		files := make([]string, 0, len(perFile[ci]))
		for f := range perFile[ci] {
			files = append(files, f)
		}
		sort.Strings(files)
		for _, f := range files {
			var t int64
			for _, v := range perFile[ci][f] {
				t += v
			}
			if t > l.total {
				l.total, l.file, l.counts = t, f, perFile[ci][f]
			}
		}
		l.noSource = l.total == 0 && c.source != "" && !sources[c.source]
		out[ci] = l
	}
	return out
}

// Chart geometry, in SVG user units (the SVG scales to its container).
const (
	chartW     = 1080
	plotLeft   = 150
	plotRight  = 1010
	plotTop    = 40
	plotHeight = 210
	laneH      = 18
	laneGap    = 4
)

// svgNum writes a coordinate with at most one decimal: short and the
// same on every machine.
func svgNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// TimelineSVG draws one run: users, requests/s and failures/s from
// Locust's history on a UTC axis, the incident windows shaded, and below
// them one lane per kind of log event that matters (5xx responses, pooler
// errors, rate-limit hits, the login page shown again), each bucket's bar
// as dark as its count. "" when the run's window is unknown.
func TimelineSVG(r *correlate.Run, opt ChartOptions) string {
	svg, _ := timelineChart(r, opt)
	return svg
}

// timelineChart is TimelineSVG with the chart's height.
func timelineChart(r *correlate.Run, opt ChartOptions) (string, int) {
	if r.Start.IsZero() || r.End.IsZero() {
		return "", 0
	}
	t0, t1 := r.Start, r.End
	for _, h := range r.History {
		if h.Time.Before(t0) {
			t0 = h.Time
		}
		if h.Time.After(t1) {
			t1 = h.Time
		}
	}
	if n := len(r.Timeline); n > 0 {
		// the lanes' buckets run to the end of the last one
		if e := r.Timeline[n-1].Start.Add(r.Timeline[n-1].Width); e.After(t1) {
			t1 = e
		}
	}
	if !t1.After(t0) {
		t1 = t0.Add(time.Second)
	}
	span := t1.Sub(t0).Seconds()
	x := func(t time.Time) float64 {
		return plotLeft + (t.Sub(t0).Seconds()/span)*(plotRight-plotLeft)
	}
	lanes := buildLanes(r, opt)
	lanesTop := plotTop + plotHeight + 14
	axisY := lanesTop + len(lanes)*(laneH+laneGap) + 4
	height := axisY + 40

	var maxUsers, maxRate float64
	for _, h := range r.History {
		maxUsers = math.Max(maxUsers, float64(h.Users))
		maxRate = math.Max(maxRate, math.Max(deref(h.RPS), deref(h.FPS)))
	}
	uMax, uStep := niceScale(maxUsers)
	rMax, rStep := niceScale(maxRate)
	yU := func(v float64) float64 { return plotTop + plotHeight - v/uMax*plotHeight }
	yR := func(v float64) float64 { return plotTop + plotHeight - v/rMax*plotHeight }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12">`,
		chartW, height, chartW, height)
	fmt.Fprintf(&b, "<title>%s</title>", xmlText("Run "+r.Name+": load curve, failures and log events, "+utc(t0)+" to "+utc(t1)))
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>`)

	// Incident windows first, under everything, across plot and lanes.
	for i, in := range r.Incidents {
		a, z := math.Max(x(in.Start), plotLeft), math.Min(x(in.End), plotRight)
		if z <= a {
			z = a + 1
		}
		fmt.Fprintf(&b, `<g class="incident"><rect x="%s" y="%d" width="%s" height="%d" fill="#fecaca" fill-opacity="0.45"><title>%s</title></rect>`,
			svgNum(a), plotTop, svgNum(z-a), axisY-plotTop, xmlText(incidentTitle(i, in)))
		fmt.Fprintf(&b, `<text x="%s" y="%d" fill="#991b1b" font-size="11">incident %d</text></g>`, svgNum(a+3), plotTop+12, i+1)
	}

	// Grid and axes.
	for v := 0.0; v <= uMax+uStep/2; v += uStep {
		y := yU(v)
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#e5e7eb"/>`, plotLeft, svgNum(y), plotRight, svgNum(y))
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="#047857">%s</text>`, plotLeft-6, svgNum(y+4), axisNum(v))
	}
	for v := 0.0; v <= rMax+rStep/2; v += rStep {
		fmt.Fprintf(&b, `<text x="%d" y="%s" fill="#1d4ed8">%s</text>`, plotRight+6, svgNum(yR(v)+4), axisNum(v))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#047857">users</text>`, plotLeft-6, plotTop-8)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#1d4ed8">per second</text>`, chartW-4, plotTop-8)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#9ca3af"/>`, plotLeft, plotTop, plotRight-plotLeft, plotHeight)

	// Legend.
	legend := []struct{ color, label, dash string }{
		{"#059669", "users", ""}, {"#2563eb", "requests/s", ""}, {"#dc2626", "failures/s", ""},
	}
	lx := plotLeft
	for _, l := range legend {
		fmt.Fprintf(&b, `<line x1="%d" y1="14" x2="%d" y2="14" stroke="%s" stroke-width="3"/><text x="%d" y="18">%s</text>`, lx, lx+18, l.color, lx+22, l.label)
		lx += 30 + 8*len(l.label)
	}
	if len(r.Incidents) > 0 {
		fmt.Fprintf(&b, `<rect x="%d" y="7" width="18" height="14" fill="#fecaca"/><text x="%d" y="18">incident window (errors above the run's baseline)</text>`, lx, lx+22)
	}

	// Series.
	if len(r.History) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#6b7280">no Locust history: the load curve is unknown</text>`, (plotLeft+plotRight)/2, plotTop+plotHeight/2)
	} else {
		users := make([]point, len(r.History))
		rps := make([]point, len(r.History))
		fps := make([]point, len(r.History))
		for i, h := range r.History {
			px := x(h.Time)
			users[i] = point{px, yU(float64(h.Users))}
			rps[i] = point{px, yR(deref(h.RPS))}
			fps[i] = point{px, yR(deref(h.FPS))}
		}
		base := float64(plotTop + plotHeight)
		fps = decimate(fps)
		fmt.Fprintf(&b, `<path d="%s" fill="#dc2626" fill-opacity="0.15" stroke="none"/>`, areaPath(fps, base))
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#059669" stroke-width="2"/>`, stepPath(decimate(users)))
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#2563eb" stroke-width="1.6"/>`, linePath(decimate(rps)))
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#dc2626" stroke-width="1.6"/>`, linePath(fps))
	}

	// Event lanes.
	if len(lanes) > 0 {
		bw := (plotRight - plotLeft) * r.Timeline[0].Width.Seconds() / span
		for li, l := range lanes {
			y := lanesTop + li*(laneH+laneGap)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#f9fafb" stroke="#e5e7eb"/>`, plotLeft, y, plotRight-plotLeft, laneH)
			label := l.class.label + " " + humanize.Thousands(l.total)
			if l.noSource {
				label = l.class.label
				fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#6b7280" font-style="italic">no %s log in this run</text>`, plotLeft+6, y+13, xmlText(l.class.source))
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="%s">%s</text>`, plotLeft-6, y+13, l.class.color, xmlText(label))
			var peak int64
			for _, c := range l.counts {
				peak = max(peak, c)
			}
			for bi, c := range l.counts {
				if c == 0 {
					continue
				}
				bt := r.Timeline[bi].Start
				op := 0.3 + 0.7*float64(c)/float64(peak)
				bx := x(bt)
				fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s" fill-opacity="%s"><title>%s</title></rect>`,
					svgNum(bx), y+1, svgNum(math.Max(math.Min(bw, plotRight-bx), 1.5)), laneH-2, l.class.color, strconv.FormatFloat(math.Round(op*100)/100, 'f', -1, 64),
					xmlText(fmt.Sprintf("%s: %d %s in %s", bt.UTC().Format("15:04:05")+" UTC", c, l.class.label, l.file)))
			}
		}
	}

	// Time axis.
	step := timeStep(span)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#9ca3af"/>`, plotLeft, axisY, plotRight, axisY)
	first := t0.Truncate(step)
	if first.Before(t0) {
		first = first.Add(step)
	}
	layout := "15:04:05"
	if step >= time.Minute {
		layout = "15:04"
	}
	for t := first; !t.After(t1); t = t.Add(step) {
		px := x(t)
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#f3f4f6"/>`, svgNum(px), plotTop, svgNum(px), axisY)
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#9ca3af"/>`, svgNum(px), axisY, svgNum(px), axisY+4)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`, svgNum(px), axisY+17, t.UTC().Format(layout))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#6b7280">UTC, %s</text>`, plotRight, axisY+34, xmlText(t0.UTC().Format("2006-01-02")))
	b.WriteString("</svg>")
	return b.String(), height
}

func incidentTitle(i int, in correlate.Incident) string {
	s := fmt.Sprintf("incident %d: %s to %s, %d errors, peak %.1f/s over a baseline of %.1f/s, onset at %d users",
		i+1, in.Start.UTC().Format("15:04:05"), in.End.UTC().Format("15:04:05 UTC"), in.Errors, in.PeakPerS, in.Baseline, in.OnsetUsers)
	if len(in.FirstSources) > 0 {
		s += "; first: " + strings.Join(in.FirstSources, ", ")
	}
	return s
}

type point struct{ x, y float64 }

// decimate keeps, for runs with more points than pixels, one point per
// pixel column: the highest (smallest y), so that no peak is lost.
func decimate(ps []point) []point {
	if len(ps) <= 2*(plotRight-plotLeft) {
		return ps
	}
	var out []point
	for _, p := range ps {
		if n := len(out); n > 0 && math.Floor(out[n-1].x) == math.Floor(p.x) {
			if p.y < out[n-1].y {
				out[n-1].y = p.y
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

func linePath(ps []point) string {
	var b strings.Builder
	for i, p := range ps {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString(" L")
		}
		b.WriteString(svgNum(p.x) + " " + svgNum(p.y))
	}
	return b.String()
}

// stepPath draws users as Locust changes them: a level held until the
// next sample.
func stepPath(ps []point) string {
	var b strings.Builder
	for i, p := range ps {
		if i == 0 {
			b.WriteString("M" + svgNum(p.x) + " " + svgNum(p.y))
			continue
		}
		b.WriteString(" H" + svgNum(p.x) + " V" + svgNum(p.y))
	}
	return b.String()
}

func areaPath(ps []point, base float64) string {
	if len(ps) == 0 {
		return ""
	}
	return "M" + svgNum(ps[0].x) + " " + svgNum(base) + " L" + strings.TrimPrefix(linePath(ps), "M") +
		" L" + svgNum(ps[len(ps)-1].x) + " " + svgNum(base) + " Z"
}

// niceScale returns an axis maximum ≥ v and a tick step (1, 2 or 5 × a
// power of ten) giving 4 to 5 ticks.
func niceScale(v float64) (top, step float64) {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1, 0.25
	}
	raw := v / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return math.Ceil(v/step) * step, step
}

func axisNum(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// timeStep picks a tick interval giving about 6 to 12 ticks.
func timeStep(spanS float64) time.Duration {
	for _, s := range []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400} {
		if spanS/float64(s) <= 12 {
			return time.Duration(s) * time.Second
		}
	}
	return 7 * 24 * time.Hour
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
