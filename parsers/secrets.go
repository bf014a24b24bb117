package parsers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logcorr/logcorr/redact"
)

// redactResult masks secrets in every text column of a file's rows and in
// its audit, so that no output written from the tables (terminal,
// markdown, JSON, Arrow, Parquet, JSONL) can leak them. Numeric columns
// and names the parsers produce themselves (methods, formats, levels, file
// paths) cannot hold secrets and are left. Locust request names can: a
// locustfile that requests a URL with a query string and no name= gets
// stats rows named "/reset/?token=...".
//
// What was masked is counted per kind in Audit.Redacted, over the columns
// that carry the file's own text once (a record's line and traceback, a
// request name, an error), so a value quoted again in a derived column
// (the message cut from a line) is counted once.
func redactResult(r *Result) {
	var n redact.Counts
	s := redact.String
	count := func(v string) string { return redact.Count(v, &n) }
	attrs := func(m map[string]string) {
		for k, v := range m {
			rk := s(k)
			if rk != k {
				delete(m, k)
				k = rk
			}
			m[k] = redact.KeyValue(k, v)
		}
	}
	for i := range r.Events {
		e := &r.Events[i]
		// Every field of a one-line record is cut from its text: when the
		// line holds no trigger word, none of them can hold a secret.
		if e.EndLine == e.Line && e.Text != "" && !redact.MayHold(e.Text) {
			continue
		}
		e.Text, e.Traceback = count(e.Text), count(e.Traceback)
		if first, rest, multi := strings.Cut(e.Message, "\n"); multi {
			// Lines of a message past its first are in no other column.
			if f, r := s(first), count(rest); f != first || r != rest {
				e.Message = f + "\n" + r
			}
		} else {
			e.Message = s(e.Message)
		}
		e.ExcMessage, e.Path = s(e.ExcMessage), s(e.Path)
		e.ExcType, e.ExcFrame, e.User, e.Logger = s(e.ExcType), s(e.ExcFrame), s(e.User), s(e.Logger)
		attrs(e.Attrs)
	}
	for i := range r.Stats {
		r.Stats[i].Name = count(r.Stats[i].Name)
	}
	for i := range r.History {
		r.History[i].Name = count(r.History[i].Name)
	}
	for i := range r.Auth {
		a := &r.Auth[i]
		if a.Session != "" && a.Session != "None" {
			a.Session = redact.Mask
		}
		a.Path, a.User = s(a.Path), s(a.User)
		attrs(a.Attrs)
	}
	for i := range r.Failures {
		r.Failures[i].Error, r.Failures[i].Name = count(r.Failures[i].Error), count(r.Failures[i].Name)
	}
	for i := range r.Exceptions {
		x := &r.Exceptions[i]
		x.Message, x.Traceback, x.Nodes = count(x.Message), count(x.Traceback), count(x.Nodes)
	}
	for i := range r.Meta {
		m := &r.Meta[i]
		m.Value = redact.KeyValueCount(m.Key, m.Value, &n)
	}
	for i := range r.Audit.UnparsedExamples {
		r.Audit.UnparsedExamples[i].Text = count(r.Audit.UnparsedExamples[i].Text)
	}
	for i := range r.Audit.Messages {
		r.Audit.Messages[i] = s(r.Audit.Messages[i])
	}
	for i := range r.Audit.Warnings {
		r.Audit.Warnings[i] = s(r.Audit.Warnings[i])
	}
	r.Audit.Redacted = n.Map()
	if total := n.Total(); total > 0 {
		r.Audit.Messages = append(r.Audit.Messages, fmt.Sprintf("%s: %d secret value(s) masked (%s); --no-redact keeps them", r.Audit.Path, total, redactedKinds(r.Audit.Redacted)))
	}
}

// redactedKinds lists counts as "jwt ×2, password ×1", by kind name.
func redactedKinds(m map[string]int64) string {
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for i, k := range kinds {
		kinds[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(kinds, ", ")
}
