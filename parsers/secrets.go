package parsers

import "github.com/logcorr/logcorr/redact"

// redactResult masks secrets in every text column of a file's rows and in
// its audit, so that no output written from the tables (terminal,
// markdown, JSON, Arrow, Parquet) can leak them. Numeric columns and
// names the parsers produce themselves (methods, formats, levels, file
// paths) cannot hold secrets and are left. Locust request names can: a
// locustfile that requests a URL with a query string and no name= gets
// stats rows named "/reset/?token=...".
func redactResult(r *Result) {
	s := redact.String
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
		e.Message, e.Traceback, e.ExcMessage, e.Path, e.Text = s(e.Message), s(e.Traceback), s(e.ExcMessage), s(e.Path), s(e.Text)
		e.ExcType, e.ExcFrame, e.User, e.Logger = s(e.ExcType), s(e.ExcFrame), s(e.User), s(e.Logger)
		attrs(e.Attrs)
	}
	for i := range r.Stats {
		r.Stats[i].Name = s(r.Stats[i].Name)
	}
	for i := range r.History {
		r.History[i].Name = s(r.History[i].Name)
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
		r.Failures[i].Error, r.Failures[i].Name = s(r.Failures[i].Error), s(r.Failures[i].Name)
	}
	for i := range r.Exceptions {
		x := &r.Exceptions[i]
		x.Message, x.Traceback, x.Nodes = s(x.Message), s(x.Traceback), s(x.Nodes)
	}
	for i := range r.Meta {
		m := &r.Meta[i]
		m.Value = redact.KeyValue(m.Key, m.Value)
	}
	for i := range r.Audit.UnparsedExamples {
		r.Audit.UnparsedExamples[i].Text = s(r.Audit.UnparsedExamples[i].Text)
	}
	for i := range r.Audit.Messages {
		r.Audit.Messages[i] = s(r.Audit.Messages[i])
	}
}
