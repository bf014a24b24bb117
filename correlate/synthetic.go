package correlate

import (
	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
)

// EventsOf is a list of events made from rows written by hand, in the
// order given, each timed row placed at its Time as UTC: what the rules'
// unit tests build runs from. (A real analysis reads the parse stage's
// tables; see Analyze.)
func EventsOf(rows ...parsers.Event) Events {
	// One result per stretch of rows of one file: a batch holds one file.
	var results []*parsers.Result
	for lo := 0; lo < len(rows); {
		hi := lo + 1
		for hi < len(rows) && rows[hi].File == rows[lo].File {
			hi++
		}
		results = append(results, &parsers.Result{Audit: parsers.Audit{Path: rows[lo].File}, Events: rows[lo:hi]})
		lo = hi
	}
	t := newTable(DatasetOf(results))
	out := Events{t: t, rows: make([]int32, len(rows))}
	for r := range out.rows {
		out.rows[r] = int32(r)
		if t.tim[r] != noTime {
			t.placed[r] = true
		}
	}
	return out
}

// DatasetOf is the parse stage's Dataset for rows written by hand: what
// parsers.Parse would return had it read files holding them (see
// parsers.DatasetOf).
func DatasetOf(results []*parsers.Result) *schema.Dataset { return parsers.DatasetOf(results) }
