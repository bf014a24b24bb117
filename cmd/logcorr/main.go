// Command logcorr turns the artifacts of a Locust load test against a
// Django + PgBouncer stack into a root-cause diagnosis.
//
// This package is wiring only: flags, the order of the stages, and exit
// codes. The work lives in parsers, correlate, rules, gates and report.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	_ "time/tzdata" // zone names resolve on machines without a zoneinfo database
)

// Exit codes are a contract with CI jobs.
const (
	exitOK       = 0
	exitGate     = 1 // a finding reached --fail-on, or a gate failed
	exitUsage    = 2 // usage or input error
	exitCoverage = 3 // too little of the input was understood (--min-parsed)
)

func main() {
	app := newApp()
	if err := app.Run(os.Args); err != nil {
		if ec, ok := err.(cli.ExitCoder); ok {
			if msg := ec.Error(); msg != "" {
				fmt.Fprintln(os.Stderr, "logcorr:", msg)
			}
			os.Exit(ec.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "logcorr:", err)
		os.Exit(exitUsage)
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:  "logcorr",
		Usage: "correlate load-test artifacts into a root-cause diagnosis",
		Description: "logcorr reads Locust CSV/HTML output, Django, auth-debug, runserver and PgBouncer logs,\n" +
			"puts them on one UTC clock, links the events that belong together and names the causes.",
		HideHelpCommand: true,
		Commands: []*cli.Command{
			parseCommand(),
			formatsCommand(),
		},
		ExitErrHandler: func(*cli.Context, error) {}, // main prints and exits
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return cli.Exit(err.Error(), exitUsage)
		},
	}
}
