package parsers

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// MaxLineBytes is the longest line kept whole; longer lines are cut to this
// length, counted in Audit.CutLines and reported, never fatal.
const MaxLineBytes = 1 << 20

// MaxDecompressedBytes caps what a .gz file may expand to, so that a gzip
// bomb costs bounded time and memory. Variable so tests can lower it.
var MaxDecompressedBytes int64 = 4 << 30

// Line is one physical line of an input file after decoding.
type Line struct {
	N    int64  // 1-based line number in the decoded text
	Text []byte // without the line terminator; valid until the next call to Next
	Cut  bool   // the line was longer than MaxLineBytes and was cut
	// Off is the byte offset of the line's first byte in the decoded
	// stream (after gunzip and the text decoder): with N, the position a
	// row cites and read-back finds the line at.
	Off int64
	// What the line added to the Input's counts, so that a chunk can
	// give back a line that is the next chunk's (uncount).
	nul, badUTF8, loneCR bool
}

// Input is a decoded, line-oriented view of one file.
type Input struct {
	Path     string // path as given (used to re-open)
	Name     string // path shown in reports and evidence
	Encoding string // e.g. "utf-8", "utf-16le+bom", "gzip/utf-8"
	Notes    []string
	// Losses are the notes that say lines were not read (a gzip header
	// that cannot be read); they are also in Notes.
	Losses []string

	f      *os.File
	size   int64 // the file's size when opened (compressed, for a gzip file)
	gz     *gzip.Reader
	capped *capReader
	br     *bufio.Reader
	own    bool            // br is one of pooled (reset's), dropped by Close
	pooled []*bufio.Reader // read buffers to give back
	buf    []byte
	n      int64
	off    int64 // decoded bytes consumed so far: the next line's offset
	err    error
	CutN   int64
	crlf   bool
	// MaxLine overrides MaxLineBytes for this input (0 = MaxLineBytes): a
	// format whose records are legitimately one huge line (the HTML
	// report's embedded JSON) raises it before reading.
	MaxLine int
	// NULLines counts lines holding NUL bytes, and FirstNUL is the first.
	NULLines, FirstNUL int64
	// LoneCR counts lines ended by a CR with no LF after it (classic Mac
	// OS line ends, or a file passed through tr '\n' '\r'): each is a line
	// end, as for every text tool. FirstLoneCR is the first such line.
	LoneCR, FirstLoneCR int64
	// EncodingConfidence is how sure a guessed code page is (codepage.go);
	// 0 when the encoding was not guessed.
	EncodingConfidence float64
	// BadUTF8Lines counts lines that are not valid UTF-8 in a file read as
	// UTF-8 (no code page fitted); FirstBadUTF8 is the first. Their bytes
	// are kept as read.
	BadUTF8Lines, FirstBadUTF8 int64
	checkUTF8                  bool
	guess                      codePageGuess
	lastLoneCR                 bool // the line being read ended with a CR alone
}

// Open opens path and sniffs its compression and text encoding. name is
// how the file is shown in messages.
func Open(path, name string) (*Input, error) {
	in := &Input{Path: path, Name: name}
	if err := in.reset(); err != nil {
		return nil, err
	}
	return in, nil
}

// Rewind starts reading the file again from its first line.
//
// The open file is read again from its start (a seek, not a second open:
// a folder of a thousand small files rewinds each after its detection
// sample); only a file that cannot seek is opened again.
func (in *Input) Rewind() error {
	f := in.f
	in.f = nil // kept open through Close
	in.Close()
	in.Notes, in.Losses = nil, nil
	if f != nil {
		if _, err := f.Seek(0, io.SeekStart); err == nil {
			return in.resetFile(f)
		}
		f.Close()
	}
	return in.reset()
}

func (in *Input) reset() error {
	f, st, err := OpenRegular(in.Path)
	if err != nil {
		return fmt.Errorf("%s: %w", in.Name, unwrapPathErr(err))
	}
	in.size = st.Size()
	return in.resetFile(f)
}

// resetFile starts reading f, positioned at its start.
func (in *Input) resetFile(f *os.File) error {
	in.f, in.n, in.off, in.err, in.CutN, in.NULLines, in.FirstNUL = f, 0, 0, nil, 0, 0, 0
	in.BadUTF8Lines, in.FirstBadUTF8, in.checkUTF8, in.EncodingConfidence = 0, 0, false, 0
	in.LoneCR, in.FirstLoneCR = 0, 0
	// The compression magic is peeked through the file's read buffer,
	// which the text (or the gzip stream) is then read through.
	raw := in.reader(f)
	var r io.Reader = raw
	enc := ""
	head, _ := raw.Peek(4)
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(raw)
		if err != nil {
			note := fmt.Sprintf("%s: gzip header unreadable (%v); file read as empty", in.Name, err)
			in.Notes, in.Losses = append(in.Notes, note), append(in.Losses, note)
			r = bytes.NewReader(nil)
		} else {
			in.gz = gz
			in.capped = &capReader{r: gz, left: MaxDecompressedBytes}
			r = in.capped
			enc = "gzip/"
		}
	} else if hasSuffix(in.Name, ".gz") && len(head) > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%s: named .gz but not gzip-compressed; read as plain text", in.Name))
	}
	br := raw
	if r != io.Reader(raw) {
		br = in.reader(r) // the gzip stream's, or the empty stream of an unreadable one
	}
	peek, _ := br.Peek(4096)
	textEnc, decoded := sniffEncoding(peek)
	if decoded == nil {
		textEnc, decoded = in.legacyCodePage(br, textEnc)
	}
	if decoded != nil {
		br = in.reader(transform.NewReader(br, decoded))
	}
	in.Encoding = enc + textEnc
	in.br, in.own = br, true
	return nil
}

// readers keeps the inputs' 64 KiB read buffers from file to file: a
// folder of a thousand small files would otherwise allocate two per file
// (the detection sample rewinds), 130 MB at 100 MB of input.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// reader is a pooled buffered reader of r, given back by Close.
func (in *Input) reader(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	in.pooled = append(in.pooled, br)
	return br
}

// releaseReaders gives the pooled readers back; in.br must not be read
// after (until reset).
func (in *Input) releaseReaders() {
	for _, br := range in.pooled {
		br.Reset(nil)
		readers.Put(br)
	}
	in.pooled = in.pooled[:0]
}

// ErrNotRegular is the error for a path that is neither a regular file
// nor a folder: a named pipe would block a read until some writer came,
// a device such as /dev/zero or /dev/urandom never ends.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens path for reading if it is a regular file, and refuses
// anything else without blocking: the file is opened non-blocking (a
// named pipe opens at once even with no writer) and its type checked on
// the open descriptor, so a file swapped for a pipe after a Stat is still
// refused. The error names the kind: "not a regular file (a named pipe)".
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: NotRegularError(st.Mode())}
	}
	return f, st, nil
}

// NotRegularError is ErrNotRegular naming the kind of file mode is.
func NotRegularError(mode fs.FileMode) error {
	return fmt.Errorf("%w (%s); not read", ErrNotRegular, fileKind(mode))
}

// fileKind names a file type in words.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a plain file"
}

// ReadRegular reads a whole regular file of at most max bytes (rule files:
// small, and read whole). Anything else, or a larger file, is an error
// naming the path.
func ReadRegular(path string, max int64) ([]byte, error) {
	f, st, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > max {
		return nil, fmt.Errorf("%s: %d bytes, over the %d-byte limit", path, st.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: over the %d-byte limit", path, max)
	}
	return b, nil
}

// sniffEncoding tells the text encoding from a byte-order mark, or from the
// NUL pattern of UTF-16 without one, and returns a decoder to UTF-8 when one
// is needed.
func sniffEncoding(p []byte) (string, transform.Transformer) {
	switch {
	case bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8+bom", unicode.UTF8BOM.NewDecoder()
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE}):
		return "utf-16le+bom", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(p, []byte{0xFE, 0xFF}):
		return "utf-16be+bom", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	}
	// UTF-16 without a BOM: ASCII text leaves a NUL in every other byte.
	// Text without a NUL cannot pass the count below, and finding that
	// out is one vectorised search, not a loop over the whole sample
	// (up to 4 KiB, on every open of every file: detection rewinds).
	if len(p) >= 16 && bytes.IndexByte(p, 0) >= 0 {
		evenNUL, oddNUL := 0, 0
		n := len(p) &^ 1
		for i := 0; i < n; i += 2 {
			if p[i] == 0 {
				evenNUL++
			}
			if p[i+1] == 0 {
				oddNUL++
			}
		}
		half := n / 2
		if oddNUL*10 >= half*9 && evenNUL*10 < half {
			return "utf-16le(no bom)", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		}
		if evenNUL*10 >= half*9 && oddNUL*10 < half {
			return "utf-16be(no bom)", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
		}
	}
	return "utf-8", nil
}

// legacyCodePage looks at the start of a file read as UTF-8: valid, it is
// UTF-8; not valid, a code page is guessed (codepage.go) and decodes the
// file when the guess is sure enough, else the lines that are not valid
// UTF-8 will be counted.
func (in *Input) legacyCodePage(br *bufio.Reader, textEnc string) (string, transform.Transformer) {
	head, _ := br.Peek(br.Size())
	if validUTF8Prefix(head) {
		return textEnc, nil
	}
	in.guess = guessCodePage(head)
	if g := in.guess; g.cp != nil && g.confidence >= minCodePageConfidence {
		in.EncodingConfidence = float64(int64(g.confidence*1000+0.5)) / 1000
		in.Notes = append(in.Notes, fmt.Sprintf("%s: not UTF-8: decoded as %s, a guess with confidence %.2f (%s)", in.Name, g.cp.name, in.EncodingConfidence, g.why))
		return g.cp.name + "(guessed)", g.cp.enc.NewDecoder()
	}
	in.checkUTF8 = true
	return textEnc, nil
}

// UTF8Note says how many lines were not valid UTF-8, "" when none.
func (in *Input) UTF8Note() string {
	if in.BadUTF8Lines == 0 {
		return ""
	}
	guess := "no code page fits"
	if g := in.guess; g.cp != nil {
		guess = fmt.Sprintf("the closest code page, %s, fits with confidence %.2f only", g.cp.name, g.confidence)
	}
	return fmt.Sprintf("%s:%d: %d line(s) are not valid UTF-8 (%s); their bytes are kept as read, not replaced", in.Name, in.FirstBadUTF8, in.BadUTF8Lines, guess)
}

// Next returns the next line. ok is false at the end of the input or after a
// read error (see Err).
func (in *Input) Next() (Line, bool) {
	if in.br == nil || in.err != nil {
		return Line{}, false
	}
	in.buf = in.buf[:0]
	cut := false
	limit := in.lineLimit()
	start := in.off
	read := false // some byte of this line was read
	keep := func(b []byte) {
		if len(in.buf)+len(b) > limit {
			if room := limit - len(in.buf); room > 0 {
				in.buf = append(in.buf, b[:room]...)
			}
			cut = true
			return
		}
		in.buf = append(in.buf, b...)
	}
	consume := func(n int) {
		in.br.Discard(n)
		in.off += int64(n)
		read = true
	}
	// The usual line lies whole in the read buffer, ended by LF or CRLF:
	// its text is the buffer's bytes (valid until the next read, as Line
	// says), not a copy.
	if data, err := in.buffered(); err == nil {
		if i := bytes.IndexByte(data, '\n'); i >= 0 && i <= limit {
			text, n := data[:i], i+1
			if j := bytes.IndexByte(text, '\r'); j == i-1 && j >= 0 {
				text, in.crlf = text[:j], true
			} else if j >= 0 {
				goto slow // a lone CR ends the line first
			}
			in.br.Discard(n)
			in.off += int64(n)
			return in.line(text, start, false), true
		}
	}
slow:
	for {
		data, err := in.buffered()
		if len(data) == 0 {
			if errors.Is(err, io.EOF) {
				in.err = io.EOF
			} else {
				in.err = err
			}
			if !read {
				return Line{}, false
			}
			break
		}
		i := lineEnd(data)
		if i < 0 {
			keep(data)
			consume(len(data))
			continue
		}
		keep(data[:i])
		if data[i] == '\n' {
			consume(i + 1)
			break
		}
		// CR: with LF after it a CRLF line end, alone an old Mac one.
		if i+1 < len(data) {
			if data[i+1] == '\n' {
				consume(i + 2)
				in.crlf = true
			} else {
				consume(i + 1)
				in.loneCR()
			}
			break
		}
		consume(i + 1)
		switch next, _ := in.br.Peek(1); {
		case len(next) == 1 && next[0] == '\n':
			consume(1)
			in.crlf = true
		case len(next) == 1:
			in.loneCR()
		case in.crlf:
			// A CRLF file whose last line lost its LF.
		default:
			in.loneCR()
		}
		break
	}
	return in.line(in.buf, start, cut), true
}

// line numbers and counts a line just read.
func (in *Input) line(text []byte, start int64, cut bool) Line {
	in.n++
	l := Line{N: in.n, Text: text, Cut: cut, Off: start, loneCR: in.lastLoneCR}
	in.lastLoneCR = false
	if cut {
		in.CutN++
	}
	if bytes.IndexByte(text, 0) >= 0 {
		if in.NULLines == 0 {
			in.FirstNUL = in.n
		}
		in.NULLines++
		l.nul = true
	}
	if in.checkUTF8 && !utf8.Valid(text) {
		if in.BadUTF8Lines == 0 {
			in.FirstBadUTF8 = in.n
		}
		in.BadUTF8Lines++
		l.badUTF8 = true
	}
	return l
}

// buffered returns the bytes buffered, reading more when there are none.
func (in *Input) buffered() ([]byte, error) {
	if in.br.Buffered() == 0 {
		if _, err := in.br.Peek(1); err != nil && in.br.Buffered() == 0 {
			return nil, err
		}
	}
	b, _ := in.br.Peek(in.br.Buffered())
	return b, nil
}

// lineEnd is the index of the first CR or LF of b, -1 when none.
func lineEnd(b []byte) int {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		i = len(b)
	}
	if j := bytes.IndexByte(b[:i], '\r'); j >= 0 {
		return j
	}
	if i == len(b) {
		return -1
	}
	return i
}

// loneCR counts a line ended by a CR alone.
func (in *Input) loneCR() {
	if in.LoneCR == 0 {
		in.FirstLoneCR = in.n + 1
	}
	in.LoneCR++
	in.lastLoneCR = true
}

// uncount takes back what line l added to the counts: the line is another
// chunk's to count.
func (in *Input) uncount(l Line) {
	if l.Cut {
		in.CutN--
	}
	if l.nul {
		in.NULLines--
	}
	if l.badUTF8 {
		in.BadUTF8Lines--
	}
	if l.loneCR {
		in.LoneCR--
	}
}

// lineLimit is the longest line kept whole for this input.
func (in *Input) lineLimit() int {
	if in.MaxLine > 0 {
		return in.MaxLine
	}
	return MaxLineBytes
}

// Capped reports whether reading stopped at MaxDecompressedBytes.
func (in *Input) Capped() bool { return in.capped != nil && in.capped.hit }

// Err reports a read error other than end of file, naming the file and line.
func (in *Input) Err() error {
	if in.err == nil || errors.Is(in.err, io.EOF) {
		return nil
	}
	if in.capped != nil && errors.Is(in.err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s:%d: the gzip stream ends early (a truncated or half-copied file); lines from %d on were not read: %w", in.Name, in.n+1, in.n+1, in.err)
	}
	return fmt.Errorf("%s:%d: read error: %w", in.Name, in.n+1, in.err)
}

// CRLF reports whether any line seen so far ended with CR LF.
func (in *Input) CRLF() bool { return in.crlf }

// Close releases the file and the read buffers.
func (in *Input) Close() error {
	in.releaseReaders()
	if in.own {
		in.br, in.own = nil, false
	}
	if in.gz != nil {
		in.gz.Close()
		in.gz = nil
	}
	if in.f != nil {
		err := in.f.Close()
		in.f = nil
		return err
	}
	return nil
}

// Sample reads up to n lines from the start for format detection, copying
// them, and rewinds.
func (in *Input) Sample(n int) ([]Line, error) {
	var out []Line
	for len(out) < n {
		l, ok := in.Next()
		if !ok {
			break
		}
		l.Text = append([]byte(nil), l.Text...)
		out = append(out, l)
	}
	// A read error (a truncated gzip) is not returned here: the parse
	// reads the same lines again, meets the same error and reports it once.
	return out, in.Rewind()
}

// capReader stops reading after left bytes, remembering that it did.
type capReader struct {
	r    io.Reader
	left int64
	hit  bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.hit = true
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func hasSuffix(s, suf string) bool {
	return len(s) >= len(suf) && s[len(s)-len(suf):] == suf
}

// isBinary reports whether a line holds bytes no text log contains: NUL or
// other C0 controls besides tab and ESC, or invalid UTF-8.
func isBinary(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != 0x1b && c != '\r' && c != '\f' {
			return true
		}
	}
	return !utf8.Valid(b)
}
