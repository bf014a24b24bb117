package gates

import "github.com/logcorr/logcorr/parsers"

// Exit codes of logcorr's CI-facing commands.
const (
	ExitPass     = 0 // every gate passed (or none was given)
	ExitFailed   = 1 // at least one gate failed or could not be evaluated
	ExitUsage    = 2 // bad flags, a gate that does not parse, unreadable input
	ExitCoverage = 3 // less of the input was parsed than --min-parsed asks
)

// DefaultMinParsed is --min-parsed's default: the percentage of input
// lines that must be accounted as parsed (records + folded).
const DefaultMinParsed = 99.0

// Coverage sums, over every file, the lines understood (records plus lines
// folded into them, less folded lines that begin like records of their own:
// parsers.Audit.Understood) and all lines.
func Coverage(audits []parsers.Audit) (parsedLines, totalLines int64) {
	for _, a := range audits {
		parsedLines += a.Understood()
		totalLines += a.Lines
	}
	return parsedLines, totalLines
}

// CoverageOK reports whether parsed/total reaches minPct percent (an
// empty input is fully covered).
func CoverageOK(parsedLines, totalLines int64, minPct float64) bool {
	if totalLines == 0 {
		return true
	}
	return float64(parsedLines)*100 >= minPct*float64(totalLines)
}

// ExitCode decides the exit code: input coverage below minPct comes first
// (3: the figures cannot be trusted, whatever the gates say), then any
// failed gate (1), else 0. Usage errors (2) are decided before any of
// this, by the caller.
func ExitCode(results []Result, parsedLines, totalLines int64, minPct float64) int {
	if !CoverageOK(parsedLines, totalLines, minPct) {
		return ExitCoverage
	}
	for _, r := range results {
		if !r.Pass {
			return ExitFailed
		}
	}
	return ExitPass
}
