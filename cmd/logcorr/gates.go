package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// gateFlags are the CI gate flags of analyze and compare.
func gateFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "slo", Usage: "a gate, k6 style, repeatable: 'p95<2s', 'auth_success>99%', 'failure_pct<1%', 'endpoint[\"[AUTH] Login POST\"].p95<1s', 'p95<2s over any 30s', 'no finding>=critical', 'no new exception cluster vs baseline'"},
		&cli.StringFlag{Name: "baseline", Usage: "the run other runs are compared with (compare deltas, 'no new exception cluster vs baseline')"},
		&cli.StringFlag{Name: "junit", Usage: "write one JUnit testcase per gate per run to `FILE`"},
		&cli.StringFlag{Name: "annotations", Usage: "print CI annotations for failed gates and serious findings: github"},
	}
}

func parseGates(c *cli.Context) ([]gates.Gate, error) {
	gs, err := gates.ParseAll(c.StringSlice("slo"))
	if err != nil {
		return nil, cli.Exit("--slo: "+err.Error(), exitUsage)
	}
	if c.String("junit") != "" && len(gs) == 0 {
		return nil, cli.Exit("--junit: no --slo gate given, so the JUnit file would hold no test (which CI reads as a pass); add --slo gates", exitUsage)
	}
	if a := c.String("annotations"); a != "" && a != "github" {
		return nil, cli.Exit(fmt.Sprintf("--annotations %q: only github is supported", a), exitUsage)
	}
	return gs, nil
}

// applyGates evaluates the gates on every run, writes --junit and
// --annotations, and reports whether any gate failed.
func applyGates(c *cli.Context, gs []gates.Gate, a *correlate.Analysis, findings map[string][]rules.Finding) (bool, error) {
	var baseline *correlate.Run
	if name := c.String("baseline"); name != "" {
		if baseline = a.Run(name); baseline == nil {
			return false, cli.Exit(fmt.Sprintf("--baseline %q: no such run among the %d analysed", name, len(a.Runs)), exitUsage)
		}
	}
	var names []string
	for _, r := range a.Runs {
		names = append(names, r.Name)
	}
	results := gates.EvaluateRuns(gs, a.Runs, findings, baseline)
	if path := c.String("junit"); path != "" {
		err := writeFile(path, "--junit", nil, func(out *report.Output) error { return gates.WriteJUnit(out, results) })
		if err != nil {
			return false, err
		}
	}
	if c.String("annotations") == "github" {
		if err := gates.WriteGitHub(c.App.ErrWriter, results, names, findings, rules.High); err != nil {
			return false, cli.Exit(err.Error(), exitUsage)
		}
	}
	failed := false
	for _, r := range results {
		if !r.Pass {
			failed = true
			fmt.Fprintf(c.App.ErrWriter, "gate failed: %s\n", report.SanitizeTerminal(r.Message))
		}
	}
	return failed, nil
}
