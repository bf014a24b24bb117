package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/report"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "one row per run in time order (the weekly report's table) and what changed per endpoint between runs",
		ArgsUsage: "RUN_OR_DIR...  (a folder, files, or a run's --csv prefix such as dir/hasil_test_v21)",
		Flags: append(append(inputFlags(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output: text, markdown, json or html (one self-contained page: the runs table and each run's timeline chart)"},
			&cli.StringFlag{Name: "out", Usage: "write to `FILE` instead of standard output"},
			&cli.StringSliceFlag{Name: "rules", Usage: "extra rule `FILE_OR_DIR` (YAML); repeatable"},
			&cli.StringFlag{Name: "fail-on", Value: "none", Usage: "exit 1 when a finding reaches this severity (default none: compare reports, gates decide)"},
			&cli.Float64Flag{Name: "min-parsed", Value: gates.DefaultMinParsed, Usage: "exit 3 when less than this percentage of input lines was understood"},
			quietFlag,
		), gateFlags()...),
		Action: runCompare,
	}
}

func runCompare(c *cli.Context) error {
	format, err := formatFlag(c, "text", "markdown", "json", "html")
	if err != nil {
		return err
	}
	if err := checkAnnotations(c, format); err != nil {
		return err
	}
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	d, err := diagnose(c)
	if err != nil {
		return err
	}
	defer d.ds.Release()
	if b := c.String("baseline"); b != "" && d.analysis.Run(b) == nil {
		return cli.Exit(fmt.Sprintf("--baseline %q: no such run among the %d found", b, len(d.analysis.Runs)), exitUsage)
	}
	results, err := evalGates(c, d.gates, d.analysis, d.findings)
	if err != nil {
		return err
	}
	doc := report.CompareTargets(d.analysis.Runs, d.findings, c.String("baseline"), d.targets)
	report.AddCompareGates(doc, results)
	err = writeOut(c, func(out *report.Output) error {
		switch format {
		case "json":
			return report.WriteCompareJSON(out, doc)
		case "markdown":
			return report.WriteCompareMarkdown(out, doc)
		case "html":
			return report.WriteCompareHTML(out, doc, d.analysis, d.findings, report.HTMLOptions{Targets: d.targets, FailOn: failOn, Gates: results,
				Chart: report.ChartOptions{RateLimitTexts: report.RateLimitTexts(d.rules)}})
		}
		return report.WriteCompareText(out, doc)
	})
	if err != nil {
		return err
	}
	gateFailed, err := emitGates(c, results, d.analysis, d.findings)
	if err != nil {
		return err
	}
	return verdict(c, d.pipeline, d.findings, failOn, gateFailed, results)
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
				quietFlag,
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
	d, err := diagnose(c)
	if err != nil {
		return err
	}
	defer d.ds.Release()
	err = writeOut(c, func(out *report.Output) error {
		return report.WriteWeekly(out, d.analysis, d.findings, report.WeeklyOptions{Lang: lang, Date: c.String("date"), Targets: d.targets})
	})
	if err != nil {
		return err
	}
	return inputError(d.unreadable)
}
