package rules

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/parsers"
)

// The real pipeline for fixtures and corpus tests: discover, parse,
// correlate, with default options (zones inferred, as a user would run it).
func init() { pipeline = analyzePaths }

func analyzePaths(paths []string) (*correlate.Analysis, error) {
	targets, _ := parsers.Discover(paths, parsers.Options{})
	ds := parsers.ParseAll(targets, parsers.Options{})
	defer ds.Release()
	return correlate.Analyze(ds, correlate.Options{})
}
