package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/export"
	"github.com/logcorr/logcorr/pipeline"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write a hive-partitioned Parquet dataset (OUT/<table>/run=<name>/part-0.parquet) for DuckDB, Spark or Trino",
		ArgsUsage: "DIR_OR_FILE...",
		Description: "Every run found becomes one partition of each table (runs, requests, history, failures, exceptions,\n" +
			"events, links, clusters, incidents, findings, evidence, checks, gates, clocks, sources; see docs/schema.md).\n" +
			"A run's partitions are replaced as a unit; other runs' partitions in OUT are left as they are, so\n" +
			"nightly jobs can export into one shared dataset. Without --run, what belongs to no run (events outside\n" +
			"every run's window or with no UTC time) goes to run=__none__.\n\n" +
			"EXIT CODES:\n" +
			"   0  the dataset was written (findings and gates are in it, not in the exit code)\n" +
			"   2  usage or input/output error: bad flag or value, nothing readable or parsed, a write failed",
		Flags: append(append(append(inputFlags(),
			&cli.StringFlag{Name: "to", Usage: "the dataset folder `OUT` (created when missing)"},
			&cli.StringFlag{Name: "fail-on", Value: "critical", Usage: "a run's verdict (runs.verdict) is fail when a finding reaches this severity (info, low, medium, high, critical, none)"},
		), flagsNamed(analysisFlags(), "rules")...), append(flagsNamed(gateFlags(), "slo", "baseline"), exportQuietFlag)...),
		Action: runExport,
	}
}

// flagsNamed picks flags from a shared set, so a command that takes only
// some of them declares each once.
func flagsNamed(fs []cli.Flag, names ...string) []cli.Flag {
	var out []cli.Flag
	for _, n := range names {
		for _, f := range fs {
			if f.Names()[0] == n {
				out = append(out, f)
			}
		}
	}
	return out
}

func runExport(c *cli.Context) error {
	to := c.String("to")
	if to == "" {
		return cli.Exit("export: give the dataset folder with --to OUT (try: logcorr export --to dataset samples/pool-exhaustion)", exitUsage)
	}
	if err := export.CheckRoot(to); err != nil {
		return cli.Exit("--to: "+err.Error(), exitUsage)
	}
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	d, err := diagnoseWith(c, func(req *pipeline.Request) {
		req.Correlate.KeepOutside = true
		// The events table's text is read back from the files (Input.Files),
		// as the reports' quotes are: the parse does not keep every line.
		// The GC soft limit applies as for analyze: with the text read
		// back and the writers' buffers reused, the export holds about what
		// analyze holds (bench100: peak 223 -> 177 MiB, CPU +2 %).
	})
	if err != nil {
		return err
	}
	defer d.Release()
	if !d.Dataset.Parsed() {
		return cli.Exit("nothing in the input could be parsed; nothing was exported", exitUsage)
	}
	d.QuoteClusters()
	sum, err := export.Write(to, export.Input{Analysis: d.Analysis, Findings: d.Findings, Checks: d.Checks, Gates: d.Gates,
		FailOn: failOn, Selected: c.String("run"), Files: d.Dataset.Files},
		export.Options{NoRedact: c.Bool("no-redact")})
	if err != nil {
		return cli.Exit(fmt.Sprintf("export: %v", err), exitUsage)
	}
	if !c.Bool("quiet") {
		for _, m := range sum.Messages {
			fmt.Fprintf(c.App.ErrWriter, "logcorr: %s\n", m)
		}
		fmt.Fprintf(c.App.ErrWriter, "logcorr: exported %d run(s) to %s: %d files, %d bytes\n", len(sum.Runs), to, sum.Files, sum.Bytes)
		switch {
		case sum.OutsideFile != "":
			fmt.Fprintf(c.App.ErrWriter, "logcorr: %d event(s) outside every run are in %s\n", sum.Outside, sum.OutsideFile)
		case sum.Outside > 0:
			fmt.Fprintf(c.App.ErrWriter, "logcorr: --run given: %d event(s) outside every run were left out (export without --run writes them to run=%s)\n", sum.Outside, export.NoRun)
		}
	}
	return nil
}

// exportQuietFlag is --quiet as export means it: export writes no report,
// and its exit code says whether the dataset was written, not a verdict.
var exportQuietFlag = &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only errors: no summary of what was written, no progress; the exit code says whether the dataset was written"}
