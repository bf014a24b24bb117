package gates_test

import (
	"github.com/logcorr/logcorr/gates"
	"github.com/logcorr/logcorr/pipeline"
)

// The gates' corpus tests run the real stages (ahspAnalysis).
func init() { gates.Pipeline = pipeline.Analyze }
