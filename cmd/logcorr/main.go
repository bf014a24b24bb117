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
	"strings"

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
// in-process. Help that was asked for (--help, `help CMD`) goes to stdout
// with exit 0; everything else about usage — no command, an unknown
// command or flag, a bad value — is a short message on stderr and exit 2.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp()
	app.Writer, app.ErrWriter = stdout, stderr
	if err := app.Run(interleave(app, args)); err != nil {
		code := exitUsage
		if ec, ok := err.(cli.ExitCoder); ok {
			code = ec.ExitCode()
		}
		msg := err.Error()
		if topic, ok := strings.CutPrefix(msg, "No help topic for "); ok {
			// urfave/cli's `help NOSUCH` exits 3, which is our coverage code
			code, msg = exitUsage, "help: unknown command "+strings.ReplaceAll(topic, "'", "\"")+"; see: logcorr --help"
		}
		if msg != "" {
			fmt.Fprintln(stderr, "logcorr:", msg)
		}
		return code
	}
	return exitOK
}

func newApp() *cli.App {
	app := &cli.App{
		Name:  "logcorr",
		Usage: "correlate load-test artifacts into a root-cause diagnosis",
		Description: "logcorr reads Locust CSV/HTML output, Django, auth-debug, runserver and PgBouncer logs,\n" +
			"puts them on one UTC clock, links the events that belong together and names the causes.\n\n" +
			"EXAMPLES:\n" +
			"   logcorr analyze samples/pool-exhaustion\n" +
			"   logcorr analyze --format html --out report.html ./loadtest-artifacts\n" +
			"   logcorr compare samples/many-runs\n" +
			"   logcorr help analyze\n\n" +
			exitCodesHelp,
		Version:              version(),
		EnableBashCompletion: true,
		Commands: []*cli.Command{
			analyzeCommand(),
			compareCommand(),
			reportCommand(),
			parseCommand(),
			formatsCommand(),
			rulesCommand(),
			timelineCommand(),
			exportCommand(),
			completionCommand(),
		},
		// Without a command, or with one logcorr does not know.
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cli.Exit("give a command: "+strings.Join(subNames(c.App.Commands), ", ")+" (see: logcorr --help)", exitUsage)
			}
			return cli.Exit(unknownMessage("", c.Args().First(), subNames(c.App.Commands)), exitUsage)
		},
		ExitErrHandler: func(*cli.Context, error) {}, // main prints and exits
		OnUsageError:   usageError(""),
	}
	decorate(app.Commands, "")
	return app
}
