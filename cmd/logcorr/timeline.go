package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/report"
)

func timelineCommand() *cli.Command {
	return &cli.Command{
		Name:      "timeline",
		Usage:     "per run: clock decisions, links between sources, incidents and message clusters",
		ArgsUsage: "DIR_OR_FILE...",
		Flags: append(inputFlags(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output: text or json"},
			&cli.StringFlag{Name: "out", Usage: "write to `FILE` instead of standard output"},
		),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if format != "text" && format != "json" {
				return cli.Exit(fmt.Sprintf("--format %q: want text or json", format), exitUsage)
			}
			p, err := load(c, c.Args().Slice())
			if err != nil {
				return err
			}
			defer p.ds.Release()
			out, err := report.OpenOutput(c.String("out"), c.App.Writer)
			if err != nil {
				return cli.Exit(fmt.Sprintf("--out: %v", err), exitUsage)
			}
			doc := report.BuildTimeline(p.analysis)
			if format == "json" {
				err = report.WriteTimelineJSON(out, doc)
			} else {
				err = report.WriteTimelineText(out, doc)
			}
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return cli.Exit(err.Error(), exitUsage)
			}
			return nil
		},
	}
}
