package parsers

import (
	"bytes"
	"strconv"
)

// A record's continuation lines (a message's further lines, its traceback)
// are held until the record ends. A record that never ends (a traceback
// followed by lines of another format, which all fold into it; a log cut
// into one endless stack) held them all: one 100 MB traceback took about
// 4x its size (the growing buffer, its copy in the table, the judgement's
// copies). So a record keeps its first keptHead bytes and its last
// keptTail bytes, whole lines, and counts the lines between. The ends are
// what the readers of a traceback look at (its first frames, its deepest
// frame and its exception line), and the reports quote the file's lines by
// position, not this text. Python's longest tracebacks are far below the
// bound: it prints "[Previous line repeated N more times]" itself past
// three repeats, and a RecursionError's is about 3 KB.
const (
	keptHead = 256 << 10
	keptTail = 256 << 10
)

// recordText is a record's continuation text, bounded as above.
type recordText struct {
	buf []byte
	// head is, once lines were dropped, where the kept start ends: buf[head]
	// is the '\n' that joins it to the kept tail.
	head    int
	dropped int64  // lines dropped between the head and the tail
	out     []byte // text's result when lines were dropped
}

func (t *recordText) reset() { t.buf, t.head, t.dropped = t.buf[:0], 0, 0 }

func (t *recordText) empty() bool { return len(t.buf) == 0 }

// add appends n line breaks and then line, and drops what the bound does not
// keep.
func (t *recordText) add(n int64, line []byte) {
	for range n {
		t.buf = append(t.buf, '\n')
	}
	t.buf = append(t.buf, line...)
	if len(t.buf) > keptHead+2*keptTail {
		t.bound()
	}
}

// bound drops the whole lines between the head and the last keptTail bytes
// (or, if the last line is longer, the last line). It runs once keptTail
// bytes or more came in since it last did, and copies at most the tail:
// the cost stays linear in the record's size.
func (t *recordText) bound() {
	if t.head == 0 {
		i := bytes.IndexByte(t.buf[keptHead:], '\n')
		if i < 0 {
			return // the head is still inside one line (at most MaxLineBytes)
		}
		t.head = keptHead + i
	}
	from := len(t.buf) - keptTail
	if from <= t.head {
		return
	}
	var tail int // where the kept tail starts: a line's start
	if j := bytes.IndexByte(t.buf[from:], '\n'); j >= 0 {
		tail = from + j + 1
	} else if k := bytes.LastIndexByte(t.buf[t.head+1:from], '\n'); k >= 0 {
		tail = t.head + 1 + k + 1
	} else {
		return // one line after the head: nothing to drop yet
	}
	t.dropped += int64(bytes.Count(t.buf[t.head+1:tail], []byte{'\n'}))
	t.buf = append(t.buf[:t.head+1], t.buf[tail:]...)
}

// text is the record's text: what was added, or, once lines were dropped,
// its head, a line saying how many lines were not kept (indented, as
// Python's own "[Previous line repeated N more times]"), and its tail. It
// is valid until the next add or reset.
func (t *recordText) text() []byte {
	if t.dropped == 0 {
		return t.buf
	}
	t.out = append(t.out[:0], t.buf[:t.head+1]...)
	t.out = append(t.out, "  [logcorr: "...)
	t.out = strconv.AppendInt(t.out, t.dropped, 10)
	t.out = append(t.out, " lines not kept]"...)
	t.out = append(t.out, t.buf[t.head:]...)
	return t.out
}

// warnKept names, in the file's audit, the record at line first whose text
// did not keep n of its lines.
func warnKept(c *Context, first, last, n int64) {
	c.Warnf(first, "the record goes on to line %d: %d of its lines, past its first and last %d KiB, are folded into it but not kept in its text", last, n, keptHead>>10)
}
