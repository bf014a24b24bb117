package parsers

import (
	"os"
	"strings"
	"testing"
)

// spammedConsole is the Locust 2.x console of locustio/locust#2575, where
// "locust spams the printout": the same record and traceback once per user
// attempt. The excerpt is repeated as the issue describes the file.
func spammedConsole(t *testing.T, times int) string {
	t.Helper()
	b, err := os.ReadFile(publicPath("locust2_console_traceback.log"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Repeat(string(b), times)
}

// TestDetectFolding: a parser that would fold record-like lines into other
// records loses its score, so a Locust console full of tracebacks is not a
// Django log; forced, the wrong parser's audit says the parse is partial and
// the folded records do not count as understood.
func TestDetectFolding(t *testing.T) {
	text := spammedConsole(t, 20) // 200 lines: the whole detection sample
	sample := linesOf(text)
	d := Detect(sample, "console.txt")
	if d.Format != "locust_console" {
		t.Fatalf("detected %s %.2f (runner-up %s %.2f)", d.Format, d.Confidence, d.RunnerUp, d.RunnerUpConfidence)
	}
	var django *TrialFold
	for i := range d.Folds {
		if d.Folds[i].Format == "django" {
			django = &d.Folds[i]
		}
	}
	// Django leaves the first record unparsed (nothing above it) and folds
	// the other 19 into the traceback above them.
	if django == nil || django.Folded != 19 || django.Likes != 20 || django.After >= MinConfidence {
		t.Fatalf("django trial: %+v", django)
	}

	res := parseText(t, "console.txt", text, Options{Format: "django"})
	a := res.Audit
	if a.RecordLikeFolded != 19 || a.Unparsed != 1 || a.Understood() != a.Lines-19-1 || a.Confidence >= 1 {
		t.Errorf("forced django: record-like folded %d understood %d of %d confidence %.3f", a.RecordLikeFolded, a.Understood(), a.Lines, a.Confidence)
	}
	if len(a.RecordLikeExamples) == 0 || a.RecordLikeExamples[0].Line != 11 || !strings.HasPrefix(a.RecordLikeExamples[0].Text, "[2024-02-01 09:30:54,511] d189d6727fd5/ERROR/locust.user.task:") {
		t.Errorf("examples %+v", a.RecordLikeExamples)
	}
	found := false
	for _, m := range a.Messages {
		found = found || strings.Contains(m, "partial parse: 19 line(s)")
	}
	if !found {
		t.Errorf("no partial-parse message: %v", a.Messages)
	}

	res = parseText(t, "console.txt", text, Options{})
	if a := res.Audit; a.Format != "locust_console" || a.Understood() != a.Lines || len(res.Events) != 20 {
		t.Errorf("detected: %s understood %d of %d, %d events", a.Format, a.Understood(), a.Lines, len(res.Events))
	}
}

func linesOf(text string) []Line {
	var out []Line
	for i, s := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		out = append(out, Line{N: int64(i + 1), Text: []byte(s)})
	}
	return out
}
