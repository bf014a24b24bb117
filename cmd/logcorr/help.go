package main

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// exitCodesHelp is the exit-code contract, printed in --help of the app
// and of every command that decides a verdict.
const exitCodesHelp = `EXIT CODES:
   0  no finding reached --fail-on and every gate passed
   1  a finding reached --fail-on (analyze: critical by default), or a gate failed
   2  usage or input error: unknown command or flag, bad value, nothing readable, nothing parsed
   3  less than --min-parsed percent (default 99) of the input lines were understood
   When several apply, the higher-priority one wins: 2, then 3, then 1.`

// examples are shown under each command's help, keyed by the command's
// full name ("rules test"). Every command has at least one.
var examples = map[string][]string{
	"analyze": {
		"logcorr analyze samples/pool-exhaustion",
		"logcorr analyze --format html --out report.html ./loadtest-artifacts",
		"logcorr analyze --format markdown --out diagnosis.md ./artifacts   # also writes diagnosis.timeline.svg",
		"logcorr analyze --slo 'p95<2s' --slo 'no finding>=critical' --junit gates.xml --annotations github ./artifacts",
	},
	"compare": {
		"logcorr compare samples/many-runs",
		"logcorr compare --baseline hasil_test_run1 --format html --out compare.html samples/many-runs",
	},
	"report":        {"logcorr report weekly --lang id --out WEEKLY.md ./artifacts"},
	"report weekly": {"logcorr report weekly --lang id --out WEEKLY.md ./artifacts"},
	"timeline": {
		"logcorr timeline samples/pool-exhaustion",
		"logcorr timeline --format json samples/pool-exhaustion | jq '.runs[0].incidents'",
	},
	"parse": {
		"logcorr parse samples/pool-exhaustion",
		"logcorr parse --input-format pgbouncer --json pgbouncer.log",
		"logcorr parse --out out/run.parquet samples/pool-exhaustion   # out/run.events.parquet, ...",
	},
	"export": {
		"logcorr export --to dataset samples/many-runs",
		"logcorr export --run 'hasil_test_v19*' --to /mnt/lake/logcorr ./artifacts   # replaces only the v19 runs' partitions",
		"duckdb -c \"SELECT run, failures FROM read_parquet('dataset/runs/*/*.parquet', hive_partitioning=true)\"",
	},
	"formats":    {"logcorr formats"},
	"rules":      {"logcorr rules list", "logcorr rules show pgbouncer-pool-exhausted"},
	"rules list": {"logcorr rules list --rules ./my-rules"},
	"rules show": {"logcorr rules show pgbouncer-pool-exhausted"},
	"rules test": {"logcorr rules test pgbouncer-pool-exhausted samples/pool-exhaustion"},
	"rules lint": {"logcorr rules lint --fixtures rules/testdata"},
	"completion": {
		"source <(logcorr completion bash)",
		"logcorr completion zsh > \"${fpath[1]}/_logcorr\"",
		"logcorr completion fish > ~/.config/fish/completions/logcorr.fish",
	},
}

// verdictCommands print the exit codes in their help.
var verdictCommands = map[string]bool{"analyze": true, "compare": true}

// decorate walks the command tree and gives every command its examples,
// the exit codes where they apply, and the usage-error handler: a bad
// flag is a short message on stderr and exit 2, never the whole help on
// stdout (which would corrupt `> out.json`).
func decorate(cmds []*cli.Command, parent string) {
	for _, c := range cmds {
		full := strings.TrimSpace(parent + " " + c.Name)
		var parts []string
		if c.Description != "" {
			parts = append(parts, c.Description)
		}
		if ex := examples[full]; len(ex) > 0 {
			parts = append(parts, "EXAMPLES:\n   "+strings.Join(ex, "\n   "))
		}
		if verdictCommands[full] {
			parts = append(parts, exitCodesHelp)
		}
		c.Description = strings.Join(parts, "\n\n")
		c.OnUsageError = usageError(full)
		if len(c.Subcommands) > 0 && c.Action == nil {
			c.Action = unknownSubcommand(full)
		}
		decorate(c.Subcommands, full)
	}
}

func usageError(cmd string) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		prefix := "logcorr"
		if cmd != "" {
			prefix += " " + cmd
		}
		return cli.Exit(fmt.Sprintf("%s: %v (see: %s --help)", cmd, err, prefix), exitUsage)
	}
}

// unknownSubcommand is the action of a command that only groups others
// (rules, report): without a subcommand it is a usage error.
func unknownSubcommand(cmd string) cli.ActionFunc {
	return func(c *cli.Context) error {
		if c.NArg() == 0 {
			return cli.Exit(fmt.Sprintf("%s: give a subcommand: %s (see: logcorr %s --help)", cmd, strings.Join(subNames(c.Command.Subcommands), ", "), cmd), exitUsage)
		}
		return cli.Exit(unknownMessage(cmd, c.Args().First(), subNames(c.Command.Subcommands)), exitUsage)
	}
}

func subNames(cmds []*cli.Command) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden && c.Name != "help" {
			out = append(out, c.Name)
		}
	}
	return out
}

// unknownMessage names the unknown command and the closest known one.
func unknownMessage(parent, name string, known []string) string {
	where := "logcorr"
	if parent != "" {
		where += " " + parent
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if s := closest(name, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + "; see: " + where + " --help"
}

// closest returns the known name within edit distance 2 of name, "" if none.
func closest(name string, known []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	for _, k := range sorted {
		if d := editDistance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// version is the module version and the VCS commit the binary was built
// from, as the Go toolchain stamped them: "v0.3.0" for `go install
// ...@v0.3.0`, "(devel)" for a build from a checkout, and the commit
// (with "+dirty" for uncommitted changes) when the build had VCS stamping.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v + ", commit unknown (built without VCS stamping), " + bi.GoVersion
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	s := v + ", commit " + rev
	if when != "" {
		s += " (" + when + ")"
	}
	return s + ", " + bi.GoVersion
}
