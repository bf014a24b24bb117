package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/report"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "one row per run in time order (the weekly report's table) and what changed per endpoint between runs",
		ArgsUsage: "RUN_OR_DIR...  (a folder, files, or a run's --csv prefix such as dir/hasil_test_v21)",
		Flags: append(append(inputFlags(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output: text, markdown or json"},
			&cli.StringFlag{Name: "out", Usage: "write to `FILE` instead of standard output"},
			&cli.StringSliceFlag{Name: "rules", Usage: "extra rule `FILE_OR_DIR` (YAML); repeatable"},
			&cli.StringFlag{Name: "fail-on", Value: "none", Usage: "exit 1 when a finding reaches this severity (default none: compare reports, gates decide)"},
			&cli.Float64Flag{Name: "min-parsed", Value: 99, Usage: "exit 3 when less than this percentage of input lines was understood"},
		), gateFlags()...),
		Action: runCompare,
	}
}

func runCompare(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" {
		return cli.Exit(fmt.Sprintf("--format %q: want text, markdown or json", format), exitUsage)
	}
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	gs, err := parseGates(c)
	if err != nil {
		return err
	}
	set, err := loadRules(c)
	if err != nil {
		return err
	}
	p, err := load(c, c.Args().Slice())
	if err != nil {
		return err
	}
	defer p.ds.Release()
	if b := c.String("baseline"); b != "" && p.analysis.Run(b) == nil {
		return cli.Exit(fmt.Sprintf("--baseline %q: no such run among the %d found", b, len(p.analysis.Runs)), exitUsage)
	}
	targets := targetsFrom(gs)
	findings, ruleErrs := findingsByRun(set, p.analysis, targets)
	for _, e := range ruleErrs {
		fmt.Fprintln(c.App.ErrWriter, "logcorr: rule error:", e)
	}
	doc := report.CompareTargets(p.analysis.Runs, findings, c.String("baseline"), targets)
	out, err := report.OpenOutput(c.String("out"), c.App.Writer)
	if err != nil {
		return cli.Exit(fmt.Sprintf("--out: %v", err), exitUsage)
	}
	switch format {
	case "json":
		err = report.WriteCompareJSON(out, doc)
	case "markdown":
		err = report.WriteCompareMarkdown(out, doc)
	default:
		err = report.WriteCompareText(out, doc)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return cli.Exit(err.Error(), exitUsage)
	}
	gateFailed, err := applyGates(c, gs, p.analysis, findings)
	if err != nil {
		return err
	}
	return verdict(c, p.ds, findings, failOn, gateFailed)
}

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "documents built from many runs",
		Subcommands: []*cli.Command{{
			Name:      "weekly",
			Usage:     "a weekly-report markdown in the team's shape: summary, tests per run, log evidence, metrics vs targets, risks",
			ArgsUsage: "DIR...",
			Flags: append(inputFlags(),
				&cli.StringFlag{Name: "lang", Value: "en", Usage: "headings: en or id (Indonesian)"},
				&cli.StringFlag{Name: "date", Usage: "the report's date (default: the UTC date of the last run)"},
				&cli.StringFlag{Name: "out", Usage: "write to `FILE` instead of standard output"},
				&cli.StringSliceFlag{Name: "rules", Usage: "extra rule `FILE_OR_DIR` (YAML); repeatable"},
				&cli.StringSliceFlag{Name: "slo", Usage: "targets, as for analyze: 'p95<2s', 'auth_success>99%'"},
			),
			Action: runWeekly,
		}},
	}
}

func runWeekly(c *cli.Context) error {
	lang := c.String("lang")
	if lang != "en" && lang != "id" {
		return cli.Exit(fmt.Sprintf("--lang %q: want en or id", lang), exitUsage)
	}
	gs, err := parseGates(c)
	if err != nil {
		return err
	}
	set, err := loadRules(c)
	if err != nil {
		return err
	}
	p, err := load(c, c.Args().Slice())
	if err != nil {
		return err
	}
	defer p.ds.Release()
	targets := targetsFrom(gs)
	findings, _ := findingsByRun(set, p.analysis, targets)
	out, err := report.OpenOutput(c.String("out"), c.App.Writer)
	if err != nil {
		return cli.Exit(fmt.Sprintf("--out: %v", err), exitUsage)
	}
	err = report.WriteWeekly(out, p.analysis, findings, report.WeeklyOptions{Lang: lang, Date: c.String("date"), Targets: targets})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return cli.Exit(err.Error(), exitUsage)
	}
	return nil
}
