package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/logcorr/logcorr/internal/fanout"
)

// runGroup is how many runs are encoded at once, on every core, before
// they are written: enough to keep the cores busy, few enough that a
// large folder's document (2,815 runs, 128 MB of JSON for the 1 GB bench
// folder) is never held whole.
var runGroup = 64

// writeAnalysisRuns writes the document shell (its Runs empty) with n runs,
// indented, with a final newline: the bytes writeJSON writes for the whole
// document. The runs are most of a large folder's document and encode
// independently, so run i, runAt(i), is built (called once, on every
// core: runAt must be safe for concurrent use), encoded and indented a
// group at a time, each into its own slot, and written in order between
// the head and the tail of the rest of the document. A run JSON cannot
// hold (+Inf, a year past 9999) is written as writeJSON's fallback writes
// it, null with a message naming where, and the messages join the tail.
// Under two runs there is nothing to share out, and when the rest of the
// document cannot be encoded writeJSON must say where: both write whole().
func writeAnalysisRuns(w io.Writer, shell *AnalysisDoc, n int, runAt func(i int) *RunDoc, whole func() *AnalysisDoc) error {
	if n < 2 {
		return writeJSON(w, whole())
	}
	s, ok := newAnalysisShell(shell)
	if !ok {
		return writeJSON(w, whole())
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(s.head)
	var notes []string
	group := min(runGroup, n)
	parts, partNotes, errs := make([][]byte, group), make([][]string, group), make([]error, group)
	for lo := 0; lo < n; lo += group {
		m := min(group, n-lo)
		fanout.Each(m, func(k int) { parts[k], partNotes[k], errs[k] = s.run(runAt(lo+k), lo+k) })
		for k := range m {
			if errs[k] != nil {
				return fmt.Errorf("runs[%d]: %w", lo+k, errs[k])
			}
			bw.Write(parts[k])
			notes = append(notes, partNotes[k]...)
			parts[k], partNotes[k] = nil, nil
		}
	}
	tail, err := s.tail(notes)
	if err != nil {
		return err
	}
	bw.Write(tail)
	return bw.Flush()
}

// analysisShell is an analysis document without its runs, encoded: what
// comes before the first run and after the last.
type analysisShell struct {
	shell AnalysisDoc // the document, runs left out
	rest  []byte      // its compact encoding
	cut   int         // rest[:cut] ends with `"runs":[`
	head  []byte      // rest[:cut], indented
	elem  indenter    // the state every run starts in and leaves
}

func newAnalysisShell(shell *AnalysisDoc) (*analysisShell, bool) {
	s := &analysisShell{shell: *shell}
	rest, err := compactJSON(&s.shell)
	if err != nil {
		return nil, false
	}
	schema, err := compactJSON(shell.Schema)
	if err != nil {
		return nil, false
	}
	// "runs" follows "schema"; if the fields ever move, the slow way.
	prefix := `{"schema":` + string(schema) + `,"runs":[`
	if !bytes.HasPrefix(rest, []byte(prefix+"]")) {
		return nil, false
	}
	s.rest, s.cut = rest, len(prefix)
	var in indenter
	in.add(rest[:s.cut])
	s.head = in.dst
	// A run starts as the first does after "[": a newline, then the
	// indent of an array element.
	s.elem = indenter{depth: in.depth + 1}
	return s, true
}

// run is run i, rd, indented, after its comma and newline, and the
// messages of what in it JSON cannot hold (then written as null).
func (s *analysisShell) run(rd *RunDoc, i int) ([]byte, []string, error) {
	b, err := compactJSON(rd)
	var notes []string
	if unencodable(err) {
		f := &finite{}
		tree := f.value(reflect.ValueOf(rd).Elem(), ".runs["+strconv.Itoa(i)+"]")
		b, err = compactJSON(tree)
		notes = f.notes
	}
	if err != nil {
		return nil, nil, err
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	if i > 0 {
		out = append(out, ',')
	}
	out = append(out, '\n')
	for range s.elem.depth {
		out = append(out, "  "...)
	}
	st := indenter{dst: out, depth: s.elem.depth}
	st.add(b)
	return st.dst, notes, nil
}

// tail is the rest of the document after the last run, indented, with
// notes (the runs' messages) added to its "messages" as writeJSON's
// fallback adds them.
func (s *analysisShell) tail(notes []string) ([]byte, error) {
	rest := s.rest
	if len(notes) > 0 {
		f := &finite{notes: notes}
		tree := withMessages(f.value(reflect.ValueOf(&s.shell), ""), f.notes)
		b, err := compactJSON(tree)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(b[:min(s.cut, len(b))], s.rest[:s.cut]) {
			return nil, errors.New("report: the analysis document's head moved with its messages")
		}
		rest = b
	}
	st := s.elem
	st.add(rest[s.cut:])
	st.add([]byte{'\n'})
	return st.dst, nil
}

// unencodable: encoding/json refused a value JSON cannot hold (see
// writeJSON), which encodeFinite writes as null.
func unencodable(err error) bool {
	var unsupported *json.UnsupportedValueError
	var marshaler *json.MarshalerError
	return errors.As(err, &unsupported) || errors.As(err, &marshaler)
}

// compactJSON is v as an Encoder with SetEscapeHTML(false) writes it,
// without the final newline.
func compactJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := encodeCompact(&buf, v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
