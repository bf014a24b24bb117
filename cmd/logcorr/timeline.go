package main

import (
	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/pipeline"
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
			quietFlag,
		),
		Action: func(c *cli.Context) error {
			format, err := formatFlag(c, "text", "json")
			if err != nil {
				return err
			}
			p, err := load(c, c.Args().Slice())
			if err != nil {
				return err
			}
			defer p.Release()
			err = writeOut(c, func(out *report.Output) error {
				return p.Write(out, pipeline.Report{Document: pipeline.Timeline, Format: format})
			})
			if err != nil {
				return err
			}
			return inputError(p.Unreadable)
		},
	}
}
