package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

func rulesCommand() *cli.Command {
	rulesFlag := &cli.StringSliceFlag{Name: "rules", Usage: "extra rule `FILE_OR_DIR` (YAML); repeatable"}
	return &cli.Command{
		Name:  "rules",
		Usage: "list, show, test and lint the diagnosis rules",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "every rule: ID, severity, category, title",
				Flags: []cli.Flag{rulesFlag},
				Action: func(c *cli.Context) error {
					set, err := loadRules(c)
					if err != nil {
						return err
					}
					w := c.App.Writer
					for _, r := range set.List() {
						fmt.Fprintf(w, "%-30s %-8s %-13s %s\n", r.ID, r.Severity, r.Category, r.Title)
					}
					return nil
				},
			},
			{
				Name:      "show",
				Usage:     "one rule in full: doc, matcher or check, parameters",
				ArgsUsage: "ID",
				Flags:     []cli.Flag{rulesFlag},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cli.Exit("rules show: give one rule ID (see: logcorr rules list)", exitUsage)
					}
					set, err := loadRules(c)
					if err != nil {
						return err
					}
					r, ok := set.Show(c.Args().First())
					if !ok {
						return cli.Exit(fmt.Sprintf("rules show: no rule %q (see: logcorr rules list)", c.Args().First()), exitUsage)
					}
					fmt.Fprintf(c.App.Writer, "# %s (from %s)\n", r.ID, r.Origin)
					b, err := yaml.Marshal(r)
					if err != nil {
						return cli.Exit(err.Error(), exitUsage)
					}
					_, err = c.App.Writer.Write(b)
					return err
				},
			},
			{
				Name:      "test",
				Usage:     "run one rule over files or folders and print what it finds",
				ArgsUsage: "RULE_ID FILE_OR_DIR...",
				Flags:     append(inputFlags(), rulesFlag),
				Action:    runRulesTest,
			},
			{
				Name:  "lint",
				Usage: "check every rule: ID, severity, doc, patterns, checks, fixtures",
				Flags: []cli.Flag{rulesFlag,
					&cli.StringFlag{Name: "fixtures", Usage: "folder of <ID>/ fixture folders that every built-in rule must have (e.g. rules/testdata)"}},
				Action: func(c *cli.Context) error {
					set, err := loadRules(c)
					if err != nil {
						return err
					}
					problems := set.Lint(rules.LintOptions{FixtureDir: c.String("fixtures")})
					for _, p := range problems {
						fmt.Fprintln(c.App.Writer, p.Error())
					}
					if len(problems) > 0 {
						return cli.Exit(fmt.Sprintf("%d problem(s)", len(problems)), exitGate)
					}
					fmt.Fprintf(c.App.Writer, "%d rules, no problems\n", len(set.List()))
					return nil
				},
			},
		},
	}
}

func runRulesTest(c *cli.Context) error {
	if c.NArg() < 2 {
		return cli.Exit("rules test: give a rule ID and at least one file or folder", exitUsage)
	}
	set, err := loadRules(c)
	if err != nil {
		return err
	}
	id := c.Args().First()
	var p *pipeline.Result
	analyze := func(paths []string) (*correlate.Analysis, error) {
		var err error
		p, err = load(c, paths)
		if err != nil {
			return nil, err
		}
		return p.Analysis, nil
	}
	results, err := set.Test(id, analyze, rules.DefaultTargets, c.Args().Tail()...)
	if p != nil {
		defer p.Release()
	}
	if err != nil {
		if _, ok := err.(cli.ExitCoder); ok {
			return err
		}
		return cli.Exit(fmt.Sprintf("rules test: %v", err), exitUsage)
	}
	w := c.App.Writer
	sort.Slice(results, func(i, j int) bool { return results[i].Run < results[j].Run })
	fired, runs := 0, 0
	for _, rr := range results {
		if rr.Run != "" {
			runs++
		}
		for _, e := range rr.Errors {
			if rr.Run == "" {
				fmt.Fprintf(w, "error: %s\n", e)
				continue
			}
			fmt.Fprintf(w, "run %s: error: %s\n", rr.Run, e)
		}
		for _, f := range rr.Findings {
			fired++
			run := rr.Run
			if run == "" {
				run = "(all runs)"
			}
			fmt.Fprintf(w, "%s: %s %s (confidence %.2f)\n  %s\n", run, f.Severity, f.ID, f.Confidence, report.SanitizeTerminal(f.Summary))
			for _, e := range f.Evidence {
				fmt.Fprintf(w, "  %s:%d: %s\n", e.File, e.Line, report.SanitizeTerminal(strings.TrimSpace(e.Text)))
			}
		}
	}
	if fired == 0 {
		fmt.Fprintf(w, "%s: no finding on %d run(s)\n", id, runs)
	}
	return nil
}
