package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/pipeline"
	"github.com/logcorr/logcorr/report"
	"github.com/logcorr/logcorr/rules"
)

// inputFlags are shared by every command that reads artifacts.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "tz", Usage: "zone of every naive local timestamp (IANA name or +07:00); default: infer per file"},
		&cli.StringSliceFlag{Name: "tz-source", Usage: "zone of one source: FILE_OR_FORMAT=ZONE, e.g. runserver=Asia/Makassar (repeatable)"},
		&cli.StringFlag{Name: "run", Usage: "report only the runs whose name matches this glob, e.g. 'hasil_test_v19*' (every run found still informs their diagnosis)"},
		&cli.StringFlag{Name: "input-format", Value: "auto", Usage: "force one input format for every file instead of detecting it"},
		&cli.BoolFlag{Name: "follow-symlinks", Usage: "follow symbolic links that stay inside the folders given when walking them"},
		&cli.BoolFlag{Name: "no-redact", Usage: "keep passwords, session keys and CSRF tokens in the output"},
	}
}

// analysisFlags are the flags of analyze (and the diagnosis part of compare).
func analysisFlags() []cli.Flag {
	return append(inputFlags(),
		&cli.StringFlag{Name: "format", Value: "text", Usage: "output: text, markdown, json or html (one self-contained page with the timeline chart)"},
		&cli.StringFlag{Name: "out", Usage: "write the report to `FILE` instead of standard output; with --format markdown, the timeline chart goes beside it as FILE's base + .timeline.svg"},
		&cli.StringSliceFlag{Name: "rules", Usage: "extra rule `FILE_OR_DIR` (YAML); repeatable"},
		&cli.StringFlag{Name: "fail-on", Value: "critical", Usage: "exit 1 when a finding reaches this severity (info, low, medium, high, critical, none)"},
		&cli.Float64Flag{Name: "min-parsed", Value: gates.DefaultMinParsed, Usage: "exit 3 when less than this percentage of input lines was understood"},
		&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour in text output: auto (only on a terminal, not with NO_COLOR), always, never"},
		quietFlag,
	)
}

// statsFlag is analyze's --stats.
var statsFlag = &cli.BoolFlag{Name: "stats", Usage: "print what each stage cost on standard error: wall and CPU time, allocations, MB/s per input format, peak RSS; with --format json also as the document's perf block"}

func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:      "analyze",
		Usage:     "diagnose every Locust run in a folder: clocks, links, findings with file:line evidence",
		ArgsUsage: "DIR_OR_FILE...",
		Flags:     append(append(analysisFlags(), gateFlags()...), statsFlag),
		Action:    runAnalyze,
	}
}

// quietFlag is shared by the commands that read artifacts.
var quietFlag = &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only errors: no report on standard output (--out still writes it), no progress, no verdict line; the exit code is the verdict"}

// inputError is the exit for paths named on the command line that could
// not be read (nil when all were): after the report of the rest, exit 2.
func inputError(unreadable []string) error {
	if len(unreadable) == 0 {
		return nil
	}
	return cli.Exit(fmt.Sprintf("input error: %s (the output covers only the paths that could be read)", strings.Join(unreadable, "; ")), exitUsage)
}

// request reads the input flags shared by every command that reads
// artifacts into a pipeline request for the paths given.
func request(c *cli.Context, paths []string) (pipeline.Request, error) {
	req := pipeline.Request{Paths: paths, MemoryLimit: true}
	if len(paths) == 0 {
		return req, cli.Exit(c.Command.Name+": give a folder or files (try: logcorr "+c.Command.Name+" samples/pool-exhaustion)", exitUsage)
	}
	var err error
	if req.Parse, err = parseOptions(c); err != nil {
		return req, err
	}
	req.Runs = c.String("run")
	if err := zoneFlags(c, &req.Correlate); err != nil {
		return req, err
	}
	// --out and --junit must not name an input (a flag a command lacks
	// reads as "", which names nothing).
	for _, flag := range []string{"out", "junit"} {
		req.Outputs = append(req.Outputs, pipeline.Output{Flag: "--" + flag, Paths: []string{c.String(flag)}})
	}
	quiet := c.Bool("quiet")
	req.Progress = func(targets []parsers.Target) (func(parsers.Target), func()) {
		return parseProgress(c.App.ErrWriter, targets, quiet)
	}
	return req, nil
}

// zoneFlags reads --tz and --tz-source into the correlation options:
// the one place zones are applied, for every command.
func zoneFlags(c *cli.Context, opt *correlate.Options) error {
	if tz := c.String("tz"); tz != "" {
		loc, err := parsers.LoadZone(tz)
		if err != nil {
			return cli.Exit(fmt.Sprintf("--tz %q: %v", tz, err), exitUsage)
		}
		opt.TZ = loc
	}
	for _, s := range c.StringSlice("tz-source") {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return cli.Exit(fmt.Sprintf("--tz-source %q: want FILE_OR_FORMAT=ZONE", s), exitUsage)
		}
		loc, err := parsers.LoadZone(v)
		if err != nil {
			return cli.Exit(fmt.Sprintf("--tz-source %q: %v", s, err), exitUsage)
		}
		if opt.TZSource == nil {
			opt.TZSource = map[string]*time.Location{}
		}
		opt.TZSource[k] = loc
	}
	return nil
}

// runPipeline runs the pipeline and turns its errors into exits: usage
// or input errors (exit 2), the paths' problems printed first when none
// could be read.
func runPipeline(c *cli.Context, req pipeline.Request) (*pipeline.Result, error) {
	res, err := pipeline.Run(req)
	var none *pipeline.NoInputError
	switch {
	case errors.As(err, &none):
		for _, m := range none.Messages {
			fmt.Fprintln(c.App.ErrWriter, "logcorr:", m)
		}
		return nil, cli.Exit(c.Command.Name+": "+none.Error(), exitUsage)
	case err != nil:
		return nil, cli.Exit(err.Error(), exitUsage)
	}
	return res, nil
}

// load runs discovery, parsing and correlation for the paths given.
func load(c *cli.Context, paths []string) (*pipeline.Result, error) {
	req, err := request(c, paths)
	if err != nil {
		return nil, err
	}
	req.Until = pipeline.Correlated
	return runPipeline(c, req)
}

func loadRules(c *cli.Context) (*rules.Set, error) {
	set, err := rules.Load(true, c.StringSlice("rules"))
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("--rules: %v", err), exitUsage)
	}
	return set, nil
}

// diagnose parses the gates and rules first (so a typo fails before any
// file is read), then runs the whole pipeline: findings per run, gate
// results. Rules that failed on a run are messages of the analysis.
func diagnose(c *cli.Context) (*pipeline.Result, error) { return diagnoseWith(c, nil) }

// diagnoseWith is diagnose with the request changed by edit (nil: as the
// flags say), for a command that asks more of the pipeline (export).
func diagnoseWith(c *cli.Context, edit func(*pipeline.Request)) (*pipeline.Result, error) {
	gs, err := parseGates(c)
	if err != nil {
		return nil, err
	}
	set, err := loadRules(c)
	if err != nil {
		return nil, err
	}
	req, err := request(c, c.Args().Slice())
	if err != nil {
		return nil, err
	}
	req.Rules, req.Gates, req.Baseline = set, gs, c.String("baseline")
	if edit != nil {
		edit(&req)
	}
	return runPipeline(c, req)
}

// formatFlag reads --format and checks it is one of allowed.
func formatFlag(c *cli.Context, allowed ...string) (string, error) {
	f := c.String("format")
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", cli.Exit(fmt.Sprintf("--format %q: want %s", f, strings.Join(allowed, ", ")), exitUsage)
}

// writeOut writes a document to --out (or standard output); any failure
// to write is an input/output error (exit 2), and then the file under
// --out keeps what it held before.
func writeOut(c *cli.Context, write func(out *report.Output) error) error {
	stdout := c.App.Writer
	if c.Bool("quiet") {
		stdout = io.Discard
	}
	return writeFile(c.String("out"), "--out", stdout, write)
}

// writeFile writes one output file (stdout for ""), all or nothing.
func writeFile(path, flag string, stdout io.Writer, write func(out *report.Output) error) error {
	out, err := report.OpenOutput(path, stdout)
	if err != nil {
		return cli.Exit(fmt.Sprintf("%s: %v", flag, err), exitUsage)
	}
	if err := write(out); err != nil {
		out.Discard()
		return cli.Exit(fmt.Sprintf("%s: %v", flag, err), exitUsage)
	}
	if err := out.Close(); err != nil {
		return cli.Exit(fmt.Sprintf("%s: %v", flag, err), exitUsage)
	}
	return nil
}

func runAnalyze(c *cli.Context) error {
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
	rep := pipeline.Report{Document: pipeline.Analysis, Format: format, FailOn: failOn, Perf: c.Bool("stats")}
	if format == "markdown" {
		if rep.TimelineImage, err = writeTimelineSidecar(c, d); err != nil {
			return err
		}
	}
	err = writeOut(c, func(out *report.Output) error {
		rep.Color = useColor(c, out)
		return d.Write(out, rep)
	})
	if err != nil {
		return err
	}
	if c.Bool("stats") {
		if err := d.Stats().WriteTable(c.App.ErrWriter); err != nil {
			return cli.Exit(err.Error(), exitUsage)
		}
	}
	gateFailed, err := emitGates(c, d)
	if err != nil {
		return err
	}
	return verdict(c, d, failOn, gateFailed)
}

// writeTimelineSidecar writes, for a markdown report going to --out
// FILE.md, the runs' timeline charts as FILE.timeline.svg beside it, and
// returns the link the document puts in ("" when there is no file or no
// run with a known window).
func writeTimelineSidecar(c *cli.Context, d *pipeline.Result) (string, error) {
	path := c.String("out")
	if path == "" || path == "-" {
		return "", nil
	}
	svg := d.TimelinesSVG()
	if svg == "" {
		return "", nil
	}
	side := strings.TrimSuffix(path, filepath.Ext(path)) + ".timeline.svg"
	err := writeFile(side, "--out", nil, func(out *report.Output) error {
		_, err := io.WriteString(out, svg)
		return err
	})
	if err != nil {
		return "", err
	}
	return url.PathEscape(filepath.Base(side)), nil
}

// verdict turns the outcome into the exit code CI gates on. Precedence:
// usage/input error (2) > coverage below --min-parsed (3) > a failed gate
// or a finding at --fail-on (1) > pass (0). A failing run is said in one
// line on stderr (unless --quiet), naming the runs and why. Paths named on
// the command line that could not be read are an input error (2), after
// the report of the rest.
func verdict(c *cli.Context, p *pipeline.Result, failOn *rules.Severity, gateFailed bool) error {
	if err := inputError(p.Unreadable); err != nil {
		return err
	}
	ds, a, findings, results := p.Dataset, p.Analysis, p.Findings, p.Gates
	if !ds.Parsed() {
		return cli.Exit("nothing in the input could be parsed; no diagnosis is possible", exitUsage)
	}
	parsed, total := gates.Coverage(ds.Audits())
	if min := c.Float64("min-parsed"); !gates.CoverageOK(parsed, total, min) {
		pct := 100 * float64(parsed) / float64(total)
		return cli.Exit(fmt.Sprintf("only %.2f%% of %d input lines were understood (--min-parsed %.2f%%); see the sources table for the unparsed files", pct, total, min), exitCoverage)
	}
	names := []string{}
	for _, r := range a.Runs {
		names = append(names, r.Name)
	}
	names = append(names, "") // findings about no single run
	if len(a.Runs) == 0 {
		names = append(names, gates.NoRun) // gates that found no run to evaluate
	}
	var failing []string
	for _, name := range names {
		v := report.RunVerdict(name, findings[name], failOn, results)
		if !v.Fail {
			continue
		}
		label := name
		switch label {
		case "":
			label = "across runs"
		case gates.NoRun:
			label = "no run to evaluate"
		}
		failing = append(failing, label+" ("+strings.Join(v.Reasons, ", ")+")")
	}
	if len(failing) == 0 && !gateFailed {
		return nil
	}
	if c.Bool("quiet") {
		return cli.Exit("", exitGate)
	}
	line := fmt.Sprintf("FAIL (exit %d): ", exitGate)
	if len(a.Runs) > 1 {
		line += fmt.Sprintf("%d of %d runs: ", len(failing), len(a.Runs))
	}
	return cli.Exit(report.SanitizeTerminal(clipLine(line+strings.Join(failing, "; "), 300)), exitGate)
}

// clipLine keeps a verdict to one readable line.
func clipLine(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func parseFailOn(s string) (*rules.Severity, error) {
	if s == "none" || s == "" {
		return nil, nil
	}
	sev, ok := rules.ParseSeverity(s)
	if !ok {
		return nil, cli.Exit(fmt.Sprintf("--fail-on %q: want info, low, medium, high, critical or none", s), exitUsage)
	}
	return &sev, nil
}

// useColor: colour only on a terminal, never in a file, and never with
// NO_COLOR set, unless --color always.
func useColor(c *cli.Context, out *report.Output) bool {
	return colorWanted(c.String("color"), out.IsFile(), isTerminal(c.App.Writer), os.Getenv("NO_COLOR"))
}

// colorWanted is useColor's decision (https://no-color.org: a non-empty
// NO_COLOR turns colour off; an explicit --color always still wins).
func colorWanted(flag string, toFile, stdoutTTY bool, noColor string) bool {
	switch flag {
	case "always":
		return true
	case "never":
		return false
	}
	return !toFile && noColor == "" && stdoutTTY
}
