package gates

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/rules"
)

// WriteGitHub writes GitHub Actions workflow commands: an ::error for
// every failed gate, and one for every finding of severity minSev or
// above that cites evidence (at its first cited line). findings are keyed
// by run name and visited in runs order (then "" for cross-run ones), so
// the output is deterministic. Messages and properties are escaped as the
// runner requires (% \r \n, and : , in properties).
func WriteGitHub(w io.Writer, results []Result, runs []string, findings map[string][]rules.Finding, minSev rules.Severity) error {
	for _, r := range results {
		if r.Pass {
			continue
		}
		props := []string{"title=" + escapeProperty("logcorr gate "+r.Gate.Source)}
		if r.File != "" {
			props = append([]string{"file=" + escapeProperty(r.File)}, props...)
			if r.Line > 0 {
				props = append(props[:1], append([]string{"line=" + itoa(r.Line)}, props[1:]...)...)
			}
		}
		msg := r.Message
		if r.Actual != "" && !strings.Contains(msg, r.Actual) {
			msg += " (actual " + r.Actual + ")"
		}
		if _, err := fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	order := append(append([]string(nil), runs...), "")
	for _, run := range order {
		for _, f := range findings[run] {
			s, ok := rules.ParseSeverity(f.Severity)
			if !ok || s < minSev || len(f.Evidence) == 0 {
				continue
			}
			e := f.Evidence[0]
			props := []string{"file=" + escapeProperty(e.File)}
			if e.Line > 0 {
				props = append(props, "line="+itoa(e.Line))
			}
			props = append(props, "title="+escapeProperty(fmt.Sprintf("%s (%s): %s", f.ID, f.Severity, f.Title)))
			msg := f.Summary
			if run != "" {
				msg = run + ": " + msg
			}
			if _, err := fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), escapeData(msg)); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
