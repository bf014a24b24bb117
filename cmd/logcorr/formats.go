package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/parsers"
)

func formatsCommand() *cli.Command {
	return &cli.Command{
		Name:  "formats",
		Usage: "list the formats logcorr reads, each with a real sample line and what it extracts, and the variants other versions write",
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			for _, f := range parsers.Formats() {
				d := f.Doc()
				fmt.Fprintf(w, "%s\n  %s\n  sample:   %s\n  extracts: %s\n", f.Name(), d.Summary, d.Sample, strings.Join(d.Extracts, ", "))
				if d.Notes != "" {
					fmt.Fprintf(w, "  note:     %s\n", d.Notes)
				}
				if len(d.Variants) > 0 {
					fmt.Fprintf(w, "  variants:\n")
				}
				for _, v := range d.Variants {
					fmt.Fprintf(w, "    - %s (%s)\n      %s\n      from: %s\n", v.Name, v.Versions, v.Sample, v.Source)
				}
				fmt.Fprintln(w)
			}
			return nil
		},
	}
}
