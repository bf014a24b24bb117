package report

import (
	"strings"

	"github.com/logcorr/logcorr/rules"
)

// readFirst names the serious findings about the test itself (category
// test-validity, severity high or above): a run whose users never logged in
// or whose tags filtered out every task has figures that mean nothing, and
// a reader must learn that before the headline p95, not after it. "" when
// there are none.
func readFirst(fs []rules.Finding) string {
	var ids []string
	for _, f := range fs {
		if f.Category != "test-validity" {
			continue
		}
		if s, ok := rules.ParseSeverity(f.Severity); ok && s >= rules.High {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return "the load test itself is in doubt (" + strings.Join(ids, ", ") + "): read those findings before the figures"
}
