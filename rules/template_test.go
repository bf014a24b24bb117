package rules

import (
	"fmt"
	"strings"
	"testing"
)

// templateRule is a user rule whose summary is tmpl.
func templateRule(tmpl string) string {
	return fmt.Sprintf(`id: my-template-rule
title: A user rule
severity: low
category: server
doc: a user rule whose summary template is under test here
summary: %q
match:
  status: 500-599
`, tmpl)
}

// nestedBomb defines n templates, each calling the one before twice: its
// output doubles n times (2^30 copies of the text for n = 30).
func nestedBomb(n int) string {
	var b strings.Builder
	b.WriteString(`{{define "t0"}}boom{{end}}`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{{define "t%d"}}{{template "t%d"}}{{template "t%d"}}{{end}}`, i, i-1, i-1)
	}
	fmt.Fprintf(&b, `{{template "t%d"}}`, n)
	return b.String()
}

// Rule templates are bounded in size, nesting and expansion: lint (and
// Load, which runs the same checks) rejects the ones that could not be
// bounded, so a user rule's summary can never fill memory.
func TestTemplateBounds(t *testing.T) {
	cases := []struct {
		name, tmpl, want string
	}{
		{"nested templates doubling 30 times", nestedBomb(30), "expands to more than"},
		{"recursive template", `{{define "a"}}x{{template "a"}}{{end}}{{template "a"}}`, "calls itself"},
		{"too large", strings.Repeat("x", MaxTemplateBytes+1), "over the 4096-byte cap"},
		{"too deep", strings.Repeat("{{if .Count}}", MaxTemplateDepth+1) + "x" + strings.Repeat("{{end}}", MaxTemplateDepth+1), "nested deeper than"},
		{"range over a number", `{{range 1000000000}}x{{end}}`, "range over a number"},
		{"huge printf width", `{{printf "%999999999d" .Count}}`, "printf width or precision"},
		{"huge printf precision", `{{printf "%.999999999f" 1.5}}`, "printf width or precision"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, err := ParseRules([]byte(templateRule(c.tmpl)), "mine.yaml")
			if err != nil {
				t.Fatal(err)
			}
			errs := lintRule(rs[0])
			all := ""
			for _, e := range errs {
				all += e.Error() + "\n"
			}
			if !strings.Contains(all, c.want) {
				t.Errorf("lint: %q, want a problem saying %q", all, c.want)
			}
			if _, err := NewSet(rs); err == nil {
				t.Errorf("the rule loads: it would run")
			}
		})
	}
	// An ordinary summary passes.
	rs, _ := ParseRules([]byte(templateRule(`{{.Count}} matching records in {{.Run}} ({{.First}} to {{.Last}}){{range $k, $v := .Groups}} {{$k}}={{$v}}{{end}} {{printf "%.1f" (index .Metrics "count")}}`)), "mine.yaml")
	if errs := lintRule(rs[0]); len(errs) > 0 {
		t.Errorf("an ordinary template is refused: %v", errs)
	}
}

// A template that passes lint still cannot write more than
// MaxRenderBytes: a named group can carry a whole 1 MiB line.
func TestRenderOutputCap(t *testing.T) {
	data := MatchData{Groups: map[string]string{"body": strings.Repeat("x", 2*MaxRenderBytes)}}
	if _, err := render("{{.Groups.body}}", data); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("render of a %d-byte group: err %v, want the output cap", 2*MaxRenderBytes, err)
	}
	if got, err := render("{{.Run}} ok", MatchData{Run: "r"}); err != nil || got != "r ok" {
		t.Errorf("render = %q, %v", got, err)
	}
}
