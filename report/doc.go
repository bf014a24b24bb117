// Package report writes what the other stages produced: the parse audit
// (audit.go), the Arrow tables (tables.go), the analysis as JSON (json.go),
// a diagnosis in markdown (markdown.go), a terminal summary (text.go), a
// comparison of runs (compare.go) and a weekly report (weekly.go).
//
// Writers never change a figure: numbers are printed as the stage before
// computed them (Locust's own values for Locust metrics). Log text is
// escaped for the medium it lands in (escape.go): markdown never lets a log
// line change the document's structure, and the terminal never receives a
// control sequence from a log.
package report
