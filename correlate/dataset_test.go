package correlate

import "github.com/logcorr/logcorr/parsers"

// tableOf is the events table of rows written by hand, one file per
// distinct File in first-appearance order.
func tableOf(rows []parsers.Event) *Table {
	var results []*parsers.Result
	at := map[string]*parsers.Result{}
	for _, e := range rows {
		r := at[e.File]
		if r == nil {
			r = &parsers.Result{Audit: parsers.Audit{Path: e.File}}
			at[e.File] = r
			results = append(results, r)
		}
		r.Events = append(r.Events, e)
	}
	return newTable(DatasetOf(results))
}
