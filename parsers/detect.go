package parsers

import (
	"path/filepath"
	"sort"
)

// SampleLines is how many leading lines detection scores.
const SampleLines = 200

// MinConfidence is the lowest content score accepted as a detection; below
// it a file is reported as unknown rather than guessed.
const MinConfidence = 0.3

// tieMargin is how close two content scores must be for the file name to
// decide between them.
const tieMargin = 0.05

// Detection is the outcome of scoring a sample against every format.
type Detection struct {
	Format             string // "" when nothing fits
	Confidence         float64
	RunnerUp           string
	RunnerUpConfidence float64
	ByName             bool // the file name broke a tie
}

// Detect scores sample against every registered format. Content decides;
// the file name only breaks a near tie.
func Detect(sample []Line, path string) Detection {
	base := filepath.Base(path)
	type scored struct {
		name  string
		score float64
		hint  bool
	}
	var all []scored
	for _, f := range Formats() {
		all = append(all, scored{f.Name(), f.Sniff(sample), f.NameHint(base)})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	var d Detection
	if len(all) == 0 || all[0].score < MinConfidence {
		if len(all) > 0 {
			d.RunnerUp, d.RunnerUpConfidence = all[0].name, all[0].score
		}
		return d
	}
	best, second := 0, 1
	if len(all) > 1 && all[0].score-all[1].score <= tieMargin && !all[0].hint && all[1].hint {
		best, second = 1, 0
		d.ByName = true
	}
	d.Format, d.Confidence = all[best].name, all[best].score
	if len(all) > 1 {
		d.RunnerUp, d.RunnerUpConfidence = all[second].name, all[second].score
	}
	return d
}
