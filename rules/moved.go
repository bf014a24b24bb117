package rules

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/humanize"
	"github.com/logcorr/logcorr/model"
	"github.com/logcorr/logcorr/parsers"
)

// These names moved out of rules (the figures to humanize, the run facts to
// model); they forward for one release so that branches written against
// the old names still build. New code uses the new packages.

// Deprecated: use model.LoginRow.
func LoginRow(r *correlate.Run) *parsers.StatRow { return model.LoginRow(r) }

// Deprecated: use model.RequestRows.
func RequestRows(r *correlate.Run) []*parsers.StatRow { return model.RequestRows(r) }

// Deprecated: use humanize.Thousands.
func Thousands(n int64) string { return humanize.Thousands(n) }

// Deprecated: use humanize.Millis.
func Millis(ms float64) string { return humanize.Millis(ms) }

// Deprecated: use humanize.Pct.
func Pct(p float64) string { return humanize.Pct(p) }

// Deprecated: use humanize.Plural.
func Plural(n int64, one, many string) string { return humanize.Plural(n, one, many) }
