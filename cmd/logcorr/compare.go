package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/report"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "one row per run in time order (the weekly report's table) and what changed per endpoint between runs",
		ArgsUsage: "RUN_OR_DIR...  (a folder, files, or a run's --csv prefix such as dir/hasil_test_v21)",
		Flags: append(append(inputFlags(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output: text, markdown, json or html (one self-contained page: the runs table and each run's timeline chart)"},
			&cli.StringFlag{Name: "out", Usage: "write to `FILE` instead of standard output; with --format markdown, the runs' timeline charts go beside it as FILE's base + .timeline.svg"},
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
	defer d.Release()
	rep := pipeline.Report{Document: pipeline.Compare, Format: format, FailOn: failOn}
	if format == "markdown" {
		if rep.TimelineImage, err = writeTimelineSidecar(c, d); err != nil {
			return err
		}
	}
	err = writeOut(c, func(out *report.Output) error {
		return d.Write(out, rep)
	})
	if err != nil {
		return err
	}
	gateFailed, err := emitGates(c, d)
	if err != nil {
		return err
	}
	return verdict(c, d, failOn, gateFailed)
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
	defer d.Release()
	err = writeOut(c, func(out *report.Output) error {
		return d.Write(out, pipeline.Report{Document: pipeline.Weekly, Lang: lang, Date: c.String("date")})
	})
	if err != nil {
		return err
	}
	return inputError(d.Unreadable)
}
