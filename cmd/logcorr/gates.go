package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// gateFlags are the CI gate flags of analyze and compare.
func gateFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "slo", Usage: "a gate, k6 style, repeatable: 'p95<2s', 'auth_success>99%', 'failure_pct<1%', 'endpoint[\"[AUTH] Login POST\"].p95<1s', 'p95<2s over any 30s', 'no finding>=critical', 'no new exception cluster vs baseline'"},
		&cli.StringFlag{Name: "baseline", Usage: "the run other runs are compared with (compare deltas, 'no new exception cluster vs baseline')"},
		&cli.StringFlag{Name: "junit", Usage: "write one JUnit testcase per gate per run to `FILE`"},
		&cli.StringFlag{Name: "annotations", Usage: "print CI annotations for failed gates and serious findings on standard output, where GitHub reads them: github (with a json or html report, give --out)"},
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

// emitGates writes --junit and --annotations and reports whether any
// gate failed. GitHub reads workflow commands from standard output, so
// the annotations go there, after the report.
func emitGates(c *cli.Context, d *pipeline.Result) (bool, error) {
	results, a, findings := d.Gates, d.Analysis, d.Findings
	if path := c.String("junit"); path != "" {
		err := writeFile(path, "--junit", nil, func(out *report.Output) error { return gates.WriteJUnit(out, results) })
		if err != nil {
			return false, err
		}
	}
	if c.String("annotations") == "github" {
		var names []string
		for _, r := range a.Runs {
			names = append(names, r.Name)
		}
		if err := gates.WriteGitHub(c.App.Writer, results, names, findings, rules.High); err != nil {
			return false, cli.Exit(err.Error(), exitUsage)
		}
	}
	failed := false
	for _, r := range results {
		if !r.Pass {
			failed = true
			if !c.Bool("quiet") {
				fmt.Fprintf(c.App.ErrWriter, "gate failed: %s\n", report.SanitizeTerminal(r.Message))
			}
		}
	}
	return failed, nil
}

// checkAnnotations refuses --annotations github when the report itself
// is a JSON or HTML document on standard output: the workflow commands
// must go to stdout, and would corrupt it. --out FILE resolves it.
func checkAnnotations(c *cli.Context, format string) error {
	if c.String("annotations") == "github" && (format == "json" || format == "html") && (c.String("out") == "" || c.String("out") == "-") {
		return cli.Exit(fmt.Sprintf("--annotations github prints workflow commands on standard output, which would corrupt the %s report there: give --out FILE", format), exitUsage)
	}
	return nil
}
