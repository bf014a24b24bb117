package parsers

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"sync"
	"time"
)

// A large file is parsed in chunks, in parallel: cut at line ends, each
// chunk parsed by its own Context, the results merged in chunk order so
// the tables and the audit are those of one pass over the file (the
// property TestChunkedParseIsTheWholeParse checks on every corpus file).
//
// A record cut by a seam (a traceback) is the chunk's where it began: a
// chunk skips its first lines up to its first record start (the chunk
// before read them) and, past its end, reads on into the next chunk up to
// the next record start. What is a record start is the format's to say:
// a line on which it begins a record whatever came before it.

// splitter is a format whose files can be parsed in chunks.
type splitter interface {
	// StartsRecord reports whether the format begins a new record on
	// this line whatever the lines before it were.
	StartsRecord(line []byte) bool
}

func (pgbouncer) StartsRecord([]byte) bool { return true } // one line, one record

func (authDebug) StartsRecord(b []byte) bool {
	_, ok := parsePyRecord(b)
	return ok
}

func (django) StartsRecord(b []byte) bool {
	if _, ok := parsePyRecord(b); ok {
		return true
	}
	return isDjangoReason(b)
}

func (runserver) StartsRecord(b []byte) bool {
	if isDashRule(b) {
		return false
	}
	if _, ok := parsePyRecord(b); ok {
		return true
	}
	if _, _, ok := parseServerTime(b); ok {
		return true
	}
	if _, ok := parseChannels(b); ok {
		return true
	}
	if _, _, ok := parseSimpleRequest(b); ok {
		return true
	}
	return consoleKind(b) != ""
}

// A file of splitMinBytes or more is split without being asked
// (Options.Chunks), into chunks of at least splitChunkBytes, at most
// 2×GOMAXPROCS of them: a folder's files already run in parallel, but one
// large file would keep one core busy while the others wait. A smaller
// file is split, into GOMAXPROCS chunks, only when it holds more than a
// core's share of all the bytes given (Parse says from what size, see
// dominantFrom) and at least splitDominantBytes: then it alone sets the
// wall time (a PgBouncer log analysed by itself), while the files of a
// folder keep the cores busy without it. Each chunk costs a little (its
// own audit and dictionaries, merged): measured on a 17 MB PgBouncer log
// alone, 4 chunks cost 1.1x the CPU of one pass for 0.68x the wall time
// (whole process, 7 pairs, load 1-2).
const (
	splitMinBytes      = 64 << 20
	splitChunkBytes    = 16 << 20
	splitDominantBytes = 8 << 20
)

// dominantFrom is the size from which a file holds more than a core's
// share of total bytes (and is worth splitting for that alone).
func dominantFrom(total int64, procs int) int64 {
	return max(splitDominantBytes, total/int64(max(1, procs))+1)
}

// autoChunks is how many chunks a file of size bytes is parsed in when
// no count is forced, with procs cores (1: whole).
func autoChunks(size, dominant int64, procs int) int {
	switch {
	case size >= splitMinBytes:
		return int(min(int64(2*procs), size/splitChunkBytes))
	case dominant > 0 && size >= dominant:
		return procs
	}
	return 1
}

// chunk is a byte range of a file and its first line's number.
type chunk struct {
	start, end int64 // [start, end)
	firstLine  int64
}

// chunkPlan cuts the file behind in into n chunks at line ends (the byte
// after the first LF at or after k·size/n), or returns nil when the file is
// not to be split: a format that cannot be, a decoded stream (gzip, UTF-16,
// a code page: offsets are not file offsets), a small file. n = 0 decides
// by size (dominant: see dominantFrom; 0 = never for that reason).
func chunkPlan(in *Input, f Format, n int, dominant int64) []chunk {
	if _, ok := f.(splitter); !ok || in.Encoding != "utf-8" || in.gz != nil || in.f == nil {
		return nil
	}
	st, err := in.f.Stat()
	if err != nil {
		return nil
	}
	size := st.Size()
	if n == 0 {
		n = autoChunks(size, dominant, runtime.GOMAXPROCS(0))
	}
	if n <= 1 || size == 0 {
		return nil
	}
	cuts := []int64{0}
	buf := make([]byte, 64<<10)
	for k := 1; k < n; k++ {
		pos := max(int64(k)*size/int64(n), cuts[len(cuts)-1])
		cut := int64(-1)
		for cut < 0 && pos < size {
			m, err := in.f.ReadAt(buf, pos)
			if i := bytes.IndexByte(buf[:m], '\n'); i >= 0 {
				cut = pos + int64(i) + 1
			}
			pos += int64(m)
			if err != nil {
				break
			}
		}
		if cut <= cuts[len(cuts)-1] || cut >= size {
			continue
		}
		cuts = append(cuts, cut)
	}
	if len(cuts) < 2 {
		return nil
	}
	plan := make([]chunk, len(cuts))
	line := int64(1)
	for i, start := range cuts {
		end := size
		if i+1 < len(cuts) {
			end = cuts[i+1]
		}
		plan[i] = chunk{start: start, end: end, firstLine: line}
		ends, err := countLineEnds(in.f, start, end, buf)
		if err != nil {
			return nil
		}
		line += ends
	}
	return plan
}

// countLineEnds counts the line ends Input finds in [start, end): LF, and
// CR with no LF after it. end follows an LF (or is the file's end), so no
// CRLF straddles it.
func countLineEnds(f *os.File, start, end int64, buf []byte) (int64, error) {
	var n int64
	prevCR := false
	for pos := start; pos < end; {
		b := buf[:min(int64(len(buf)), end-pos)]
		m, err := f.ReadAt(b, pos)
		b = b[:m]
		if prevCR && (len(b) == 0 || b[0] != '\n') {
			n++ // a lone CR ended the block before
		}
		n += int64(bytes.Count(b, []byte{'\n'}))
		for i := bytes.IndexByte(b, '\r'); i >= 0 && i < len(b)-1; {
			if b[i+1] != '\n' {
				n++
			}
			j := bytes.IndexByte(b[i+1:], '\r')
			if j < 0 {
				break
			}
			i += 1 + j
		}
		prevCR = len(b) > 0 && b[len(b)-1] == '\r'
		pos += int64(m)
		if err != nil && !(errors.Is(err, io.EOF) && pos >= end) {
			return 0, err
		}
		if m == 0 {
			break
		}
	}
	if prevCR {
		n++ // the file ends with a CR: Input reads it as a line end too
	}
	return n, nil
}

// parseChunks parses the file of c (format f) in the chunks of plan and
// merges what they found into c. It reports false, with c untouched, when
// a chunk learnt something the chunks after it depend on (a PgBouncer
// zone pinned by docker times): the caller then parses the file whole.
func parseChunks(c *Context, f Format, plan []chunk) bool {
	parts := make([]*Context, len(plan))
	errs := make([]error, len(plan))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, ch := range plan {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			parts[i], errs[i] = parseChunk(c, f, ch, i, plan)
		}()
	}
	wg.Wait()
	for i, p := range parts {
		if errs[i] != nil || p == nil || (p.carriesState && i < len(parts)-1) {
			for _, q := range parts {
				if q != nil && q.tables != nil {
					q.tables.release()
				}
			}
			return false
		}
	}
	for _, p := range parts {
		c.merge(p)
	}
	return true
}

// parseChunk parses one chunk with a Context of its own.
func parseChunk(c *Context, f Format, ch chunk, i int, plan []chunk) (*Context, error) {
	file, _, err := OpenRegular(c.In.Path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if _, err := file.Seek(ch.start, io.SeekStart); err != nil {
		return nil, err
	}
	in := &Input{Path: c.In.Path, Name: c.In.Name, Encoding: c.In.Encoding, f: file,
		n: ch.firstLine - 1, off: ch.start, checkUTF8: c.In.checkUTF8, guess: c.In.guess, MaxLine: c.In.MaxLine}
	in.br, in.own = in.reader(file), true
	defer in.releaseReaders()
	res := &Result{Audit: Audit{Path: c.audit.Path, Tables: map[string]int64{}}}
	p := &Context{In: in, File: c.File, Run: c.Run, Loc: c.Loc, audit: &res.Audit, res: res,
		fileID: c.fileID, noRedact: c.noRedact, omitText: c.omitText, omitTraceback: c.omitTraceback, omitRoutine: c.omitRoutine, omitAuth: c.omitAuth, starts: f.(splitter).StartsRecord, skipLead: i > 0}
	if c.tables != nil {
		p.tables = &fileTables{cache: c.tables.cache}
	}
	if i+1 < len(plan) {
		p.stopAfter = plan[i+1].firstLine - 1
	}
	p.prepare(f)
	if err := f.Parse(p); err != nil {
		p.audit.Messages = append(p.audit.Messages, err.Error())
	}
	for {
		l, ok := p.Next()
		if !ok {
			break
		}
		p.Unparsed(l, "not read by the "+f.Name()+" parser")
	}
	if p.tables != nil {
		p.tables.finish()
	}
	return p, nil
}

// merge adds a chunk's findings to c, the chunks coming in file order:
// what a single pass would have found.
func (c *Context) merge(p *Context) {
	a, pa := c.audit, p.audit
	a.Records += pa.Records
	a.Folded += pa.Folded
	a.Unparsed += pa.Unparsed
	a.RecordLikeFolded += pa.RecordLikeFolded
	a.Merged += pa.Merged
	a.UnparsedExamples = firstExamples(a.UnparsedExamples, pa.UnparsedExamples)
	a.RecordLikeExamples = firstExamples(a.RecordLikeExamples, pa.RecordLikeExamples)
	for i, m := range pa.Messages {
		if key, ok := p.onceAt[i]; ok {
			if c.once[key] {
				continue // said by an earlier chunk
			}
			if c.once == nil {
				c.once, c.onceAt = map[string]bool{}, map[int]string{}
			}
			c.once[key] = true
			c.onceAt[len(a.Messages)] = key
		}
		a.Messages = append(a.Messages, m)
	}
	a.Warnings = append(a.Warnings, pa.Warnings...)
	if a.Zone == "" {
		a.Zone, a.ZoneReason = pa.Zone, pa.ZoneReason
	}
	c.last = max(c.last, p.last)
	c.checks.merge(&p.checks)
	for t := range c.rows {
		c.rows[t] += p.rows[t]
	}
	for _, z := range p.zones {
		c.noteZone(z.name, z.reason)
	}
	if c.tables != nil {
		for t := range c.tables.w {
			c.tables.w[t] = append(c.tables.w[t], p.tables.w[t]...)
		}
	} else {
		r, pr := c.res, p.res
		r.Events, r.Auth, r.History = append(r.Events, pr.Events...), append(r.Auth, pr.Auth...), append(r.History, pr.History...)
		r.Failures, r.Exceptions, r.Meta = append(r.Failures, pr.Failures...), append(r.Exceptions, pr.Exceptions...), append(r.Meta, pr.Meta...)
		r.Tasks = append(r.Tasks, pr.Tasks...)
	}
	r, pr := c.res, p.res
	r.Stats, r.Distribution = append(r.Stats, pr.Stats...), append(r.Distribution, pr.Distribution...)
	in, pin := c.In, p.In
	in.CutN += pin.CutN
	addFirst(&in.NULLines, &in.FirstNUL, pin.NULLines, pin.FirstNUL)
	addFirst(&in.BadUTF8Lines, &in.FirstBadUTF8, pin.BadUTF8Lines, pin.FirstBadUTF8)
	addFirst(&in.LoneCR, &in.FirstLoneCR, pin.LoneCR, pin.FirstLoneCR)
	in.crlf = in.crlf || pin.crlf
	if in.err == nil && pin.Err() != nil {
		in.err, in.n = pin.err, pin.n
	}
}

// firstExamples appends more to have up to MaxUnparsedExamples, in order.
func firstExamples(have, more []Example) []Example {
	for _, e := range more {
		if len(have) >= MaxUnparsedExamples {
			break
		}
		have = append(have, e)
	}
	return have
}

// addFirst adds a count, keeping the first line of the earliest chunk
// that had any.
func addFirst(n, first *int64, pn, pfirst int64) {
	if pn == 0 {
		return
	}
	if *n == 0 {
		*first = pfirst
	}
	*n += pn
}

// merge adds a later chunk's checks: a time stepping back across the seam
// is found here, before the later chunk's own.
func (k *rowChecks) merge(p *rowChecks) {
	k.naive = k.naive || p.naive
	if p.odd > 0 {
		if k.odd == 0 {
			k.firstOdd = p.firstOdd
		}
		k.odd += p.odd
	}
	if k.hasPrev && p.hasFirst && k.prev-p.first > int64(backJumpTolerance/time.Microsecond) {
		if k.backs == 0 {
			k.firstBack = backMessage(p.file, p.firstLine, k.prev-p.first, k.prevLine)
		}
		k.backs++
	}
	if p.backs > 0 {
		if k.backs == 0 {
			k.firstBack = p.firstBack
		}
		k.backs += p.backs
	}
	if p.hasPrev {
		k.prev, k.prevLine, k.hasPrev = p.prev, p.prevLine, true
	}
	if !k.hasFirst && p.hasFirst {
		k.first, k.firstLine, k.hasFirst, k.file = p.first, p.firstLine, true, p.file
	}
	if p.histDropped > 0 {
		if k.histDropped == 0 {
			k.firstHist = p.firstHist
		}
		k.histDropped += p.histDropped
	}
	if p.figStat > 0 {
		if k.figStat == 0 {
			k.firstFigStat = p.firstFigStat
		}
		k.figStat += p.figStat
	}
	if p.figHist > 0 {
		if k.figHist == 0 {
			k.firstFig = p.firstFig
		}
		k.figHist += p.figHist
	}
	for i := range k.counts {
		k.counts[i] += p.counts[i]
	}
}

// release frees the tables' builders and batches (a chunked parse given
// up).
func (f *fileTables) release() {
	for _, ws := range f.w {
		for _, w := range ws {
			w.release()
		}
	}
}
