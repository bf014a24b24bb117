package report

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/rules"
)

// sampleDiagnosis runs the real pipeline and the built-in rules over a
// captured sample.
func sampleDiagnosis(t *testing.T, dir string) (*correlate.Analysis, map[string][]rules.Finding, *rules.Set) {
	t.Helper()
	a, err := Pipeline(correlate.Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings := map[string][]rules.Finding{}
	for _, rr := range set.Evaluate(a, rules.DefaultTargets) {
		findings[rr.Run] = append(findings[rr.Run], rr.Findings...)
	}
	return a, findings, set
}

// countLines counts the lines of a file containing sub, independently of
// logcorr's parsers.
func countLines(t *testing.T, path, sub string) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), sub) {
			n++
		}
	}
	return n
}

func renderHTML(t *testing.T, a *correlate.Analysis, findings map[string][]rules.Finding, opt HTMLOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, a, findings, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// externalRefs tokenizes the page as a browser would and lists whatever
// it would fetch or run: elements that load (script, link, img, iframe,
// object, embed, video, audio, source), attributes that point outside
// the page (src, href, xlink:href, srcset, action, formaction, poster,
// data, background not starting with #), CSS url() and @import, and
// event-handler attributes.
func externalRefs(page string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	inStyle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if inStyle {
				css := strings.ToLower(string(z.Text()))
				if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
					out = append(out, "style: "+css)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "style" {
				inStyle = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "base", "form", "image", "use":
				out = append(out, "<"+tag+">")
			case "style":
				inStyle = tt == html.StartTagToken
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				key, val := strings.ToLower(string(k)), strings.TrimSpace(string(v))
				switch {
				case strings.HasPrefix(key, "on"):
					out = append(out, tag+" "+key)
				case key == "src" || key == "href" || key == "xlink:href" || key == "srcset" || key == "action" ||
					key == "formaction" || key == "poster" || key == "data" || key == "background":
					if !strings.HasPrefix(val, "#") {
						out = append(out, tag+" "+key+"="+val)
					}
				case key == "style" && strings.Contains(strings.ToLower(val), "url("):
					out = append(out, tag+" style="+val)
				}
			}
		}
	}
}

func TestHTMLPoolExhaustion(t *testing.T) {
	a, findings, set := sampleDiagnosis(t, "../samples/pool-exhaustion")
	sev := rules.Critical
	g, err := gates.Parse("p95<2s")
	if err != nil {
		t.Fatal(err)
	}
	results := gates.Evaluate([]gates.Gate{g}, a.Runs[0], findings[a.Runs[0].Name], nil)
	page := renderHTML(t, a, findings, HTMLOptions{FailOn: &sev, Gates: results, Chart: ChartOptions{RateLimitTexts: RateLimitTexts(set)}})

	if refs := externalRefs(page); len(refs) > 0 {
		t.Errorf("the page references something outside itself: %q", refs)
	}
	// Overview first: its table comes before the run's section and names
	// the verdict and the root cause.
	ov, run := strings.Index(page, `id="overview"`), strings.Index(page, `<section class="run"`)
	if ov < 0 || run < 0 || ov > run {
		t.Fatalf("overview at %d, first run section at %d: want the overview first", ov, run)
	}
	overview := page[ov:run]
	for _, want := range []string{"FAIL", "pgbouncer-pool-exhausted", "gate p95&lt;2s failed", "hasil_test_pool_exhaustion"} {
		if !strings.Contains(overview, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	// The chart: present, non-empty, well-formed XML.
	i, j := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	if i < 0 || j < i {
		t.Fatal("no inline <svg> chart")
	}
	svg := page[i : j+len("</svg>")]
	if err := wellFormed(svg); err != nil {
		t.Fatalf("chart is not well-formed XML: %v", err)
	}
	paths := regexp.MustCompile(`<path d="M[^"]+"`).FindAllString(svg, -1)
	if len(paths) < 4 {
		t.Fatalf("%d series paths in the chart, want users, requests/s, failures/s and its area", len(paths))
	}
	for _, p := range paths {
		if strings.Count(p, " L")+strings.Count(p, " H") < 10 {
			t.Errorf("series path with too few points for a 30 s history: %.80s", p)
		}
	}
	if !strings.Contains(svg, `class="incident"`) {
		t.Error("the incident window is not shaded")
	}
	// The pooler-error lane counts what PgBouncer's log says, counted here
	// by grep: every pooler error of this run lies in its window.
	want := countLines(t, "../samples/pool-exhaustion/pgbouncer.log", "pooler error")
	if want == 0 {
		t.Fatal("sample has no pooler error lines")
	}
	if !strings.Contains(svg, ">pooler errors "+humanize.Thousands(want)+"<") {
		t.Errorf("pooler-error lane does not say %d; lanes: %v", want, regexp.MustCompile(`>[a-z5x -]+ [0-9,]+<`).FindAllString(svg, -1))
	}
	if !strings.Contains(svg, ">5xx responses ") || !strings.Contains(svg, "UTC, 2026-11-29") {
		t.Error("chart lacks its 5xx lane or its UTC axis label")
	}
	// Findings with evidence below the chart.
	if k := strings.Index(page, "Findings ("); k < j {
		t.Errorf("findings at %d, chart ends at %d: want findings below the chart", k, j)
	}
	if !strings.Contains(page, "query_wait_timeout") {
		t.Error("the PgBouncer evidence line is not quoted")
	}
	if page != renderHTML(t, a, findings, HTMLOptions{FailOn: &sev, Gates: results, Chart: ChartOptions{RateLimitTexts: RateLimitTexts(set)}}) {
		t.Error("the same analysis rendered two different pages")
	}
}

// The rate-limited sample marks its rate-limit hits, found by the
// patterns the rule uses, once per failure although the locustfile
// writes each one in two formats: the lane agrees with the rule's count
// and with Locust's console, which prints each failure once.
func TestHTMLRateLimitLane(t *testing.T) {
	a, findings, set := sampleDiagnosis(t, "../samples/rate-limited")
	svg := TimelineSVG(a.Runs[0], ChartOptions{RateLimitTexts: RateLimitTexts(set)})
	m := regexp.MustCompile(`>rate-limit hits ([0-9,]+)<`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("no rate-limit lane")
	}
	console := countLines(t, "../samples/rate-limited/locust.log", "Terlalu banyak percobaan masuk yang gagal")
	var rule float64
	for _, f := range findings[a.Runs[0].Name] {
		if f.ID == "allauth-rate-limited" {
			rule = f.Metrics["rate_limited"]
		}
	}
	if console == 0 || rule == 0 {
		t.Fatalf("sample: %d console lines, rule count %v; want both > 0", console, rule)
	}
	if m[1] != humanize.Thousands(console) || float64(console) != rule {
		t.Errorf("rate-limit lane says %s; Locust's console has %d such lines, the rule counts %v", m[1], console, rule)
	}
	if !strings.Contains(svg, ">5xx responses 0<") {
		t.Error("a run without 5xx should say 0 in its 5xx lane")
	}
}

func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
	}
}

// Log text comes from CI: markup, control sequences and entity tricks in
// run names, evidence and messages must reach the page as text.
func TestHTMLEscapesHostileText(t *testing.T) {
	a, findings, _ := sampleDiagnosis(t, "../samples/pool-exhaustion")
	hostile := "<script>alert(1)</script>\"><img src=x onerror=alert(1)>\x1b[31m]]></svg>&amp;"
	r := a.Runs[0]
	old := r.Name
	r.Name = "run" + hostile
	findings[r.Name] = append(findings[old], rules.Finding{ID: "x" + hostile, Severity: "high", Title: hostile, Summary: hostile,
		Evidence: []rules.Evidence{{File: "f" + hostile, Line: 3, Text: hostile + "\nsecond " + hostile}}, Missing: []string{hostile}})
	a.Messages = append(a.Messages, hostile)
	r.Incidents = append(r.Incidents, correlate.Incident{Start: r.Start, End: r.Start.Add(time.Second), FirstSources: []string{hostile}})
	page := renderHTML(t, a, findings, HTMLOptions{})
	for _, bad := range []string{"<script", "<img", "\x1b", "onerror=alert(1)>", "]]></svg>"} {
		if strings.Contains(page, bad) {
			t.Errorf("hostile text reached the page unescaped: %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, "&amp;amp;") {
		t.Error("hostile text is not shown escaped")
	}
	if refs := externalRefs(page); len(refs) > 0 {
		t.Errorf("hostile text made an external reference: %q", refs)
	}
	svg := TimelinesSVG(a, ChartOptions{})
	if err := wellFormed(svg); err != nil {
		t.Errorf("the stacked SVG with a hostile run name is not well-formed: %v", err)
	}
}

func TestHTMLNoRuns(t *testing.T) {
	page := renderHTML(t, &correlate.Analysis{}, nil, HTMLOptions{})
	if !strings.Contains(page, "No Locust run was found") || strings.Contains(page, "<svg") {
		t.Errorf("empty analysis page: %.300s", page)
	}
	if TimelinesSVG(&correlate.Analysis{}, ChartOptions{}) != "" {
		t.Error("a chart file for no runs")
	}
}

func TestCompareHTML(t *testing.T) {
	a, findings, _ := sampleDiagnosis(t, "../samples/many-runs")
	if len(a.Runs) < 2 {
		t.Fatalf("%d runs in samples/many-runs", len(a.Runs))
	}
	// The three runs are three scenarios (10, 20, 40 users): only a
	// baseline makes them comparable.
	doc := CompareTargets(a.Runs, findings, a.Runs[0].Name, rules.DefaultTargets)
	var b bytes.Buffer
	if err := WriteCompareHTML(&b, doc, a, findings, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if n := strings.Count(page, "<svg "); n != len(a.Runs) {
		t.Errorf("%d charts for %d runs", n, len(a.Runs))
	}
	if refs := externalRefs(page); len(refs) > 0 {
		t.Errorf("external reference: %q", refs)
	}
	if !strings.Contains(page, "What changed") {
		t.Error("no changes section")
	}
}

func TestNiceScaleAndSteps(t *testing.T) {
	cases := []struct{ v, top, step float64 }{
		{0, 1, 0.25}, {7, 8, 2}, {35, 40, 10}, {49, 60, 20}, {100, 100, 25}, {23.6, 30, 10}, {1234, 1500, 500},
	}
	for _, c := range cases {
		top, step := niceScale(c.v)
		if ticks := top / step; top != c.top || step != c.step || top < c.v || ticks < 2 || ticks > 5 {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", c.v, top, step, c.top, c.step)
		}
	}
	for _, c := range []struct {
		span float64
		want time.Duration
	}{{30, 5 * time.Second}, {300, 30 * time.Second}, {3600, 5 * time.Minute}, {86400, 2 * time.Hour}} {
		if got := timeStep(c.span); got != c.want {
			t.Errorf("timeStep(%v) = %v, want %v", c.span, got, c.want)
		}
	}
}

// The external-reference check itself must see what a browser would load.
func TestExternalRefsCatches(t *testing.T) {
	for _, page := range []string{
		`<img src="x.png">`, `<link rel="stylesheet" href="https://cdn.example/x.css">`, `<a href="http://x">x</a>`,
		`<style>body{background:url(x.png)}</style>`, `<style>@import "x.css";</style>`, `<div onclick="f()">`,
		`<svg><use xlink:href="http://x/s.svg#a"/></svg>`, `<p style="background:url(x)">`,
	} {
		if len(externalRefs(page)) == 0 {
			t.Errorf("not caught: %s", page)
		}
	}
	if refs := externalRefs(`<a href="#run-1">x</a><p>&lt;img src=x&gt;</p><svg xmlns="http://www.w3.org/2000/svg"></svg>`); len(refs) > 0 {
		t.Errorf("false alarm: %q", refs)
	}
}

// Every mark of the chart stays inside the plot's horizontal extent.
func TestChartStaysInsidePlot(t *testing.T) {
	for _, dir := range []string{"../samples/pool-exhaustion", "../samples/rate-limited", "../samples/many-runs"} {
		a, _, set := sampleDiagnosis(t, dir)
		for _, r := range a.Runs {
			svg := TimelineSVG(r, ChartOptions{RateLimitTexts: RateLimitTexts(set)})
			for _, m := range regexp.MustCompile(`<rect x="([0-9.]+)" y="[0-9]+" width="([0-9.]+)" height="16"`).FindAllStringSubmatch(svg, -1) {
				x0, _ := strconv.ParseFloat(m[1], 64)
				w, _ := strconv.ParseFloat(m[2], 64)
				if x0 < plotLeft || x0+w > plotRight+0.05 {
					t.Errorf("%s: lane mark at x=%v width %v leaves the plot [%d, %d]", r.Name, x0, w, plotLeft, plotRight)
				}
			}
		}
	}
}
