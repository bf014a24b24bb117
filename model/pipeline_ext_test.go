package model_test

import (
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/pipeline"
)

// model's corpus tests run the real stages (ahsp).
func init() { model.Pipeline = pipeline.Analyze }
