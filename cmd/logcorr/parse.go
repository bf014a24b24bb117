package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/report"
)

func parseCommand() *cli.Command {
	return &cli.Command{
		Name:      "parse",
		Usage:     "detect and parse files or folders into Arrow tables; print a per-file audit",
		ArgsUsage: "PATH...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "input-format", Aliases: []string{"format"}, Value: "auto",
				Usage: "force an input format (see: logcorr formats) instead of detecting it; --format is the old, deprecated name (analyze's --format is the output format)"},
			&cli.StringFlag{Name: "tz", Usage: "zone of naive local timestamps, e.g. Asia/Jakarta or +07:00 (default: inferred per file, as analyze does); the tables' time_utc column holds the UTC times, time keeps each file's own clock"},
			&cli.StringSliceFlag{Name: "tz-source", Usage: "zone of one source: FILE_OR_FORMAT=ZONE, e.g. runserver=Asia/Makassar (repeatable)"},
			&cli.StringFlag{Name: "out", Usage: "write the tables to `FILE` (.arrow, .parquet or .jsonl; one file per table: FILE's base + .TABLE + ext)"},
			&cli.BoolFlag{Name: "json", Usage: "print the audit as JSON"},
			&cli.BoolFlag{Name: "follow-symlinks", Usage: "follow symbolic links that stay inside the folders given when walking them"},
			&cli.BoolFlag{Name: "no-redact", Usage: "keep passwords, tokens, session keys and other secrets in the audit and the tables"},
		},
		Action: runParse,
	}
}

func runParse(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.Exit("parse: give at least one file or folder (try: logcorr parse samples/pool-exhaustion)", exitUsage)
	}
	opt, err := parseOptions(c)
	if err != nil {
		return err
	}
	req := pipeline.Request{Paths: c.Args().Slice(), Parse: opt, Until: pipeline.Parsed, MemoryLimit: true}
	if err := zoneFlags(c, &req.Correlate); err != nil {
		return err
	}
	if c.String("out") != "" || req.Correlate.TZ != nil || req.Correlate.TZSource != nil {
		// Correlation runs too: it is the one place zones are applied,
		// the tables' time_utc column and the audit's zone are its.
		req.Until = pipeline.Correlated
	}
	if out := c.String("out"); out != "" {
		req.Outputs = []pipeline.Output{{Flag: "--out", Paths: report.TablePaths(out)}}
		req.KeepTables = true // every table is written, the events' text included
	}
	res, err := runPipeline(c, req)
	if err != nil {
		return err
	}
	defer res.Release()
	format := "text"
	if c.Bool("json") {
		format = "json"
	}
	if err := res.Write(c.App.Writer, pipeline.Report{Document: pipeline.Audit, Format: format}); err != nil {
		return cli.Exit(err.Error(), exitUsage)
	}
	ds := res.Dataset
	if out := c.String("out"); out != "" {
		written, err := report.WriteTables(out, ds, res.Analysis.Events)
		if err != nil {
			return cli.Exit(fmt.Sprintf("--out: %v", err), exitUsage)
		}
		for _, w := range written {
			fmt.Fprintln(c.App.ErrWriter, "wrote", w)
		}
	}
	if err := inputError(res.Unreadable); err != nil {
		return err
	}
	if !ds.Parsed() {
		return cli.Exit("parse: nothing could be parsed", exitUsage)
	}
	return nil
}

// parseOptions reads the flags shared by every command that parses.
func parseOptions(c *cli.Context) (parsers.Options, error) {
	opt := parsers.Options{Format: c.String("input-format"), FollowSymlinks: c.Bool("follow-symlinks"), NoRedact: c.Bool("no-redact")}
	if opt.Format != "" && opt.Format != "auto" {
		if _, ok := parsers.Lookup(opt.Format); !ok {
			return opt, cli.Exit(fmt.Sprintf("--input-format %q: unknown format (see: logcorr formats)", opt.Format), exitUsage)
		}
	}
	return opt, nil
}
