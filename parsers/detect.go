package parsers

import (
	"bufio"
	"bytes"
	"fmt"
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
	// Folds lists the formats that lost score because parsing the sample
	// with them folded lines that begin like records of their own.
	Folds []TrialFold
}

// TrialFold is what parsing the detection sample with one format showed.
type TrialFold struct {
	Format        string
	Folded, Likes int64   // record-like lines folded / in the sample
	FirstLine     int64   // the first of them
	Before, After float64 // the content score without and with the penalty
}

// Note says it in a sentence for the audit.
func (t TrialFold) Note() string {
	return fmt.Sprintf("read as %s, %d of the first %d record-like line(s) would be folded into other records (first at line %d): %s scored %.2f, not %.2f", t.Format, t.Folded, t.Likes, t.FirstLine, t.Format, t.After, t.Before)
}

// Detect scores sample against every registered format. Content decides;
// the file name only breaks a near tie.
//
// A format's Sniff judges lines one by one; it cannot see that its parser
// would fold most of the file into a few records. So every format that
// scores at least MinConfidence also parses the sample, and loses the share
// of the sample's record-like lines (recordStart) it folded into other
// records: a Django reading of a Locust console log, which folds every
// "[asctime] host/LEVEL/logger:" line into the traceback above it, drops to
// nothing, and the format that reads those lines as records wins.
func Detect(sample []Line, path string) Detection {
	base := filepath.Base(path)
	type scored struct {
		name  string
		score float64
		hint  bool
	}
	var all []scored
	var d Detection
	likes := 0
	for _, l := range sample {
		if recordStart(l.Text) {
			likes++
		}
	}
	var py pySniff
	classified := false
	for _, f := range Formats() {
		var score float64
		if ps, ok := f.(pySniffer); ok {
			if !classified {
				py, classified = pyClassify(sample), true
			}
			score = ps.sniffPy(py)
		} else {
			score = f.Sniff(sample)
		}
		s := scored{f.Name(), score, f.NameHint(base)}
		if s.score >= MinConfidence && likes > 0 {
			if folded, ex := trialFolds(f, sample, path); folded > 0 {
				t := TrialFold{Format: f.Name(), Folded: folded, Likes: int64(likes), FirstLine: ex, Before: s.score}
				s.score *= 1 - float64(folded)/float64(likes)
				t.After = s.score
				d.Folds = append(d.Folds, t)
			}
		}
		all = append(all, s)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
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

// trialFolds parses the sample with f and returns how many record-like lines
// the parse folded into other records, and the first of them.
func trialFolds(f Format, sample []Line, path string) (folded int64, first int64) {
	var buf bytes.Buffer
	for _, l := range sample {
		buf.Write(l.Text)
		buf.WriteByte('\n')
	}
	in := &Input{Path: path, Name: path, Encoding: "sample", br: bufio.NewReader(&buf)}
	a := &Audit{}
	c := &Context{In: in, File: path, audit: a, res: &Result{}, noRedact: true}
	c.prepare(f)
	func() {
		defer func() { _ = recover() }() // a panic is the real parse's to report
		_ = f.Parse(c)
	}()
	if len(a.RecordLikeExamples) > 0 {
		first = a.RecordLikeExamples[0].Line
	}
	return a.RecordLikeFolded, first
}
