package report

import "github.com/logcorr/logcorr/parsers"

// InputWarnings lists, file by file, the audits' warnings: what was not
// read as it was written (a truncated gzip, lines or CSV fields cut,
// impossible figures read as null). Every report format shows them, so a
// quiet report is never mistaken for a complete one.
func InputWarnings(audits []parsers.Audit) []string {
	var out []string
	for _, a := range audits {
		out = append(out, a.Warnings...)
	}
	return out
}

// warningsOutside lists the warnings of the audits not among shown (the
// files of no run), for a report whose run sections list their own.
func warningsOutside(audits []parsers.Audit, shown map[string]bool) []string {
	var out []string
	for _, a := range audits {
		if !shown[a.Path] {
			out = append(out, a.Warnings...)
		}
	}
	return out
}
