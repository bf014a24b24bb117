package gates

import (
	"encoding/xml"
	"io"
)

// The JUnit XML shape CI systems read (GitHub, GitLab, Jenkins):
// testsuites > testsuite (one per run) > testcase (one per gate), with a
// failure element for a failed gate.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes one testsuite per run (in the order runs first appear
// in results) and one testcase per gate. A failed gate, including one
// that could not be evaluated, is a failure (type "gate" or
// "not-evaluated"); the passing ones carry their actual figure in
// system-out. Times are 0: gates measure nothing themselves.
func WriteJUnit(w io.Writer, results []Result) error {
	doc := junitSuites{Name: "logcorr gates"}
	idx := map[string]int{}
	for _, r := range results {
		i, ok := idx[r.Run]
		if !ok {
			i = len(doc.Suites)
			idx[r.Run] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: r.Run, Time: "0"})
		}
		s := &doc.Suites[i]
		c := junitCase{Name: r.Gate.Source, ClassName: "logcorr.gates." + r.Run, Time: "0"}
		if r.Pass {
			c.SystemOut = r.Message
		} else {
			typ := "gate"
			if r.Unknown {
				typ = "not-evaluated"
			}
			text := r.Message
			if r.File != "" {
				text += "\n" + r.File
				if r.Line > 0 {
					text += ":" + itoa(r.Line)
				}
			}
			c.Failure = &junitFailure{Message: r.Gate.Source + ": actual " + r.Actual, Type: typ, Text: text}
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
