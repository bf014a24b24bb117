package parsers

import (
	"bufio"
	"fmt"
	"io"
	"sort"

	"github.com/logcorr/logcorr/model/schema"
)

// ReadLines reads back from file f the lines each ref cites, Line through
// End, decoded exactly as the parse decoded them (gunzip, UTF-16, a guessed
// code page): ref.Offset is an offset in that decoded stream. Lines are
// returned without their line ends, cut at MaxLineBytes as the parse cut
// them, in refs' order; out[i] holds ref i's lines.
//
// A plain UTF-8 file is read at each offset directly; a decoded one once,
// from its start up to the last line cited. A file whose size or
// modification time differs from the file table's (it changed since it was
// parsed) is refused: its offsets may point anywhere.
func ReadLines(f schema.File, refs []schema.Ref) ([][][]byte, error) {
	out := make([][][]byte, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	in, err := Open(f.Open, f.Path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	if st, err := in.f.Stat(); err != nil || st.Size() != f.Size || !st.ModTime().Equal(f.ModTime) {
		return nil, fmt.Errorf("%s: changed since it was parsed; its lines cannot be read back", f.Path)
	}
	if in.Encoding != f.Encoding {
		return nil, fmt.Errorf("%s: read as %s now, %s when parsed; its lines cannot be read back", f.Path, in.Encoding, f.Encoding)
	}
	order := make([]int, len(refs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return refs[order[a]].Offset < refs[order[b]].Offset })
	plain := in.Encoding == "utf-8" && in.gz == nil
	if plain {
		// Cited lines are far apart: a seek reads a small buffer, not the
		// parse's 64 KiB one, and refs close together share what it read.
		in.releaseReaders()
		if _, err := in.f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		in.br, in.own, in.off = bufio.NewReaderSize(in.f, readBackBuffer), false, 0
	}
	for _, i := range order {
		r := refs[i]
		end := max(r.End, r.Line)
		if plain || in.off > r.Offset {
			// Plain: seek. Decoded: a ref behind the reader (refs
			// overlap) reads the stream again from its start.
			if err := in.seek(r, plain); err != nil {
				return nil, err
			}
		}
		for in.off < r.Offset {
			if _, ok := in.Next(); !ok {
				return nil, readBackErr(f, r, in)
			}
		}
		if in.off != r.Offset {
			return nil, fmt.Errorf("%s:%d: offset %d is not a line's start", f.Path, r.Line, r.Offset)
		}
		in.n = r.Line - 1
		for in.n < end {
			l, ok := in.Next()
			if !ok {
				return nil, readBackErr(f, r, in)
			}
			out[i] = append(out[i], append([]byte(nil), l.Text...))
		}
	}
	return out, nil
}

// readBackBuffer is the read buffer of a plain file's read-back: a few
// cited lines' worth (a longer line is read on in further reads).
const readBackBuffer = 4 << 10

// seek puts the reader at ref r's offset (plain files: within what is
// buffered when it is there, else by a seek), or back at the decoded
// stream's start.
func (in *Input) seek(r schema.Ref, plain bool) error {
	if !plain {
		return in.Rewind() // the open file, back at its start, not reopened
	}
	if d := r.Offset - in.off; in.err == nil && d >= 0 && d <= int64(in.br.Buffered()) {
		in.br.Discard(int(d))
		in.off = r.Offset
		return nil
	}
	if _, err := in.f.Seek(r.Offset, io.SeekStart); err != nil {
		return fmt.Errorf("%s: %w", in.Name, err)
	}
	in.br.Reset(in.f)
	in.off, in.err = r.Offset, nil
	return nil
}

func readBackErr(f schema.File, r schema.Ref, in *Input) error {
	if err := in.Err(); err != nil {
		return err
	}
	return fmt.Errorf("%s:%d: the file ends before the cited line", f.Path, r.Line)
}
