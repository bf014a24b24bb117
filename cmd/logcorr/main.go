// Command logcorr turns the artifacts of a Locust load test against a
// Django + PgBouncer stack into a root-cause diagnosis.
//
// This package is wiring only: flags, the order of the stages, and exit
// codes. The work lives in parsers, correlate, rules, gates and report.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/gates"

	_ "time/tzdata" // zone names resolve on machines without a zoneinfo database
)

// Exit codes are a contract with CI jobs; gates defines them.
const (
	exitOK       = gates.ExitPass
	exitGate     = gates.ExitFailed   // a finding reached --fail-on, or a gate failed
	exitUsage    = gates.ExitUsage    // usage or input error
	exitCoverage = gates.ExitCoverage // too little of the input was understood (--min-parsed)
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run executes one command line and returns its exit code; tests call it
// in-process.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp()
	app.Writer, app.ErrWriter = stdout, stderr
	if err := app.Run(interleave(app, args)); err != nil {
		code := exitUsage
		if ec, ok := err.(cli.ExitCoder); ok {
			code = ec.ExitCode()
		}
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, "logcorr:", msg)
		}
		return code
	}
	return exitOK
}

func newApp() *cli.App {
	return &cli.App{
		Name:  "logcorr",
		Usage: "correlate load-test artifacts into a root-cause diagnosis",
		Description: "logcorr reads Locust CSV/HTML output, Django, auth-debug, runserver and PgBouncer logs,\n" +
			"puts them on one UTC clock, links the events that belong together and names the causes.",
		HideHelpCommand: true,
		Commands: []*cli.Command{
			analyzeCommand(),
			compareCommand(),
			reportCommand(),
			parseCommand(),
			formatsCommand(),
			rulesCommand(),
			timelineCommand(),
		},
		ExitErrHandler: func(*cli.Context, error) {}, // main prints and exits
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return cli.Exit(err.Error(), exitUsage)
		},
	}
}
