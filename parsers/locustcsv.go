package parsers

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

func init() { Register(locustCSV{}) }

// locustCSV reads the four files Locust 2.x writes with --csv PREFIX:
// PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv and
// PREFIX_exceptions.csv. Which of the four a file is comes from its header,
// never from its name, and columns are picked by header name, so files from
// Locust versions that add, drop or rename columns still parse.
type locustCSV struct{}

func (locustCSV) Name() string { return "locust_csv" }

func (locustCSV) Doc() Doc {
	return Doc{
		Summary: "Locust --csv output: _stats.csv, _stats_history.csv, _failures.csv, _exceptions.csv (kind told by the header)",
		Sample:  ",Aggregated,7064,45,25,723.1334955124695,2.812499995343387,60413.606599999184,14471.804077010192,23.609392531165046,0.15039958435764822,25,38,52,65,140,2100,16000,19000,50000,60000,60000",
		Extracts: []string{
			"locust_stats: type, name, requests, failures, median/average/min/max ms, avg content size, rps, failures/s, percentiles",
			"locust_history: time (Unix seconds, UTC), user count, rps, failures/s, percentiles, cumulative totals",
			"locust_failures: method, name, error, occurrences",
			"locust_exceptions: count, message, traceback (multi-line), nodes",
		},
		Variants: []Variant{
			{"PREFIX_stats.csv and friends", "Locust 1.x-2.x", ",Aggregated,7064,45,25,723.1334955124695,2.812499995343387,60413.606599999184,14471.804077010192,23.609392531165046,0.15039958435764822,25,38,52,65,140,2100,16000,19000,50000,60000,60000", "the user's runs (corpus/ahsp)"},
			{"PREFIX_requests.csv: Method, # requests, # failures, ..., the \"None\",\"Total\" row (read as Aggregated)", "Locust 0.8-0.12",
				`"None","Total",5797,0,17,31,5,214,350,97.72`, "jmeagher/playground kubernetes/README.md"},
			{"PREFIX_distribution.csv: \"METHOD name\", # requests, percentiles (merged into the requests rows, never rows of their own)", "Locust 0.8-0.12",
				`"None Total",5820,17,22,37,53,87,99,110,120,214`, "jmeagher/playground kubernetes/README.md"},
			{"stats_history.csv with \"Requests Failed/s\", cumulative \"# requests\", no user count, a quote lost in the header", "Locust 0.13-0.14",
				`"None","Aggregated","1574373143",7,0,0.00,0.00,110,160,28,520.62,153124.86,110,120,160,160,520,520,520,520,520,520,520,520`, "locustio/locust pull request #1146"},
			{"any of these in a Windows code page (GBK, CP949, CP1251), decoded by a guess", "Locust 1.x on zh-CN, ko-KR, ru-RU Windows",
				`POST,[AUTH] Login POST,"ConnectionRefusedError(10061, '由于目标计算机积极拒绝，无法连接。')",82`, "Windows' message as guapier/zi5book issue #1 quotes it (row composed)"},
		},
		Notes: "Columns are matched by header name, case-insensitively (older Locust spellings such as '# requests' are accepted); N/A and empty cells are null; figures are kept exactly as Locust printed them. A row whose field count differs from the header is still read where it can be and reported.",
	}
}

func (locustCSV) NameHint(base string) bool {
	for _, suf := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv", "_requests.csv", "_distribution.csv"} {
		if strings.HasSuffix(base, suf) {
			return true
		}
	}
	return false
}

// Sniff looks only at the header: the four Locust headers are distinctive,
// and a data row alone cannot be read without one.
func (locustCSV) Sniff(sample []Line) float64 {
	for _, l := range sample {
		if len(l.Text) == 0 {
			continue
		}
		hdr := csvSplitLine(l.Text)
		kind, complete := csvKindOf(csvColumns(csvSplitHeader(hdr)))
		switch {
		case kind == csvUnknown:
			return 0
		case complete:
			return 1
		default:
			return 0.6
		}
	}
	return 0
}

type csvKind int

const (
	csvUnknown csvKind = iota
	csvStats
	csvHistory
	csvFailures
	csvExceptions
	// csvDistribution is Locust 0.x's PREFIX_distribution.csv: per entry
	// "METHOD name", its request count and percentiles; the figures are
	// merged into the stats rows of PREFIX_requests.csv (see Assemble).
	csvDistribution
)

// Column slots. Each kind uses a subset; a slot is -1 when the header lacks
// it.
const (
	colType = iota
	colName
	colRequests
	colFailures
	colMedian
	colAverage
	colMin
	colMax
	colContent
	colRPS
	colFPS
	colTimestamp
	colUsers
	colTotalRequests
	colTotalFailures
	colTotalMedian
	colTotalAverage
	colTotalMin
	colTotalMax
	colTotalContent
	colMethod
	colError
	colOccurrences
	colCount
	colMessage
	colTraceback
	colNodes
	colPct  // first of len(PercentileHeaders) percentile slots
	numCols = colPct + 11
)

// csvHeaderNames maps a normalised header (lower case, single spaces) to its
// slot. Names shared by several kinds map per kind in csvColumns.
var csvHeaderNames = map[string]int{
	"type":                        colType,
	"name":                        colName,
	"request count":               colRequests,
	"# requests":                  colRequests,
	"failure count":               colFailures,
	"# failures":                  colFailures,
	"median response time":        colMedian,
	"average response time":       colAverage,
	"min response time":           colMin,
	"max response time":           colMax,
	"average content size":        colContent,
	"requests/s":                  colRPS,
	"failures/s":                  colFPS,
	"requests failed/s":           colFPS, // Locust 0.13-0.14
	"timestamp":                   colTimestamp,
	"user count":                  colUsers,
	"total request count":         colTotalRequests,
	"total failure count":         colTotalFailures,
	"total median response time":  colTotalMedian,
	"total average response time": colTotalAverage,
	"total min response time":     colTotalMin,
	"total max response time":     colTotalMax,
	"total average content size":  colTotalContent,
	"method":                      colMethod,
	"error":                       colError,
	"occurrences":                 colOccurrences,
	"count":                       colCount,
	"message":                     colMessage,
	"traceback":                   colTraceback,
	"nodes":                       colNodes,
	"50%":                         colPct + 0,
	"66%":                         colPct + 1,
	"75%":                         colPct + 2,
	"80%":                         colPct + 3,
	"90%":                         colPct + 4,
	"95%":                         colPct + 5,
	"98%":                         colPct + 6,
	"99%":                         colPct + 7,
	"99.9%":                       colPct + 8,
	"99.99%":                      colPct + 9,
	"99.999%":                     -1, // old Locust; no column for it
	"99.999":                      -1, // Locust 0.13's history header, without its %
	"100%":                        colPct + 10,
}

// csvCols holds, per slot, the index of the column in the file, or -1.
type csvCols [numCols]int

func csvNormHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if strings.Contains(h, "  ") {
		h = strings.Join(strings.Fields(h), " ")
	}
	return h
}

func csvColumns(hdr []string) csvCols {
	var c csvCols
	for i := range c {
		c[i] = -1
	}
	for i, h := range hdr {
		if slot, ok := csvHeaderNames[csvNormHeader(h)]; ok && slot >= 0 && c[slot] < 0 {
			c[slot] = i
		}
	}
	return c
}

// csvKindOf tells the file kind from its columns, and whether every column
// the kind is known for is present (in one of the versions Locust wrote).
func csvKindOf(c csvCols) (csvKind, bool) {
	has := func(slots ...int) bool {
		for _, s := range slots {
			if c[s] < 0 {
				return false
			}
		}
		return true
	}
	switch {
	case has(colTimestamp, colName):
		// Older history files carried "# requests" etc. instead of the
		// Total* columns, and 0.13's no user count; either counts.
		return csvHistory, has(colType, colRPS, colFPS, colPct+5) && (has(colUsers, colTotalRequests, colTotalFailures) || has(colRequests, colFailures, colMedian))
	case has(colName, colRequests, colPct) && c[colFailures] < 0 && c[colMedian] < 0:
		return csvDistribution, has(colPct+5, colPct+10)
	case has(colName, colRequests):
		// 0.x requests.csv: Method instead of Type, no percentiles.
		return csvStats, has(colType, colFailures, colMedian, colAverage, colMin, colMax, colRPS, colPct+5) ||
			has(colMethod, colFailures, colMedian, colAverage, colMin, colMax, colContent, colRPS)
	case has(colName, colError, colOccurrences):
		return csvFailures, has(colMethod)
	case has(colCount, colMessage, colTraceback):
		return csvExceptions, has(colNodes)
	}
	return csvUnknown, false
}

// csvSplitHeader repairs a header whose quotes were lost: Locust 0.13's
// history header reads `"Requests Failed/s,"Median response time"`, which a
// lenient CSV reader takes as one field. Locust's column names hold no
// comma, so a field with one is several names.
func csvSplitHeader(hdr []string) []string {
	out := hdr[:0:0]
	for _, h := range hdr {
		if !strings.Contains(h, ",") {
			out = append(out, h)
			continue
		}
		for _, part := range strings.Split(h, ",") {
			out = append(out, strings.Trim(part, `" `))
		}
	}
	return out
}

// csvOldHistory points the Total* slots of a history header that predates
// them (Locust 0.13-0.14: "# requests", "Median response time" are the
// run's cumulative figures) at those columns.
func csvOldHistory(c *csvCols) {
	for _, m := range [...][2]int{
		{colTotalRequests, colRequests}, {colTotalFailures, colFailures}, {colTotalMedian, colMedian},
		{colTotalAverage, colAverage}, {colTotalMin, colMin}, {colTotalMax, colMax}, {colTotalContent, colContent},
	} {
		if c[m[0]] < 0 {
			c[m[0]] = c[m[1]]
		}
	}
}

// csvAggregated renames the total row of older Locust versions ("None",
// "Total" in 0.x, "None","Aggregated" in 0.13-1.x) to the Aggregated row
// with no type that later versions write.
func csvAggregated(typ, name string) (string, string) {
	if typ == "None" && (name == "Total" || name == "Aggregated") {
		return "", "Aggregated"
	}
	return typ, name
}

// csvScanner reads CSV records from a file's lines the way encoding/csv
// reads them with LazyQuotes (every physical line ending in "\n", empty
// lines between records skipped), without allocating per record: the
// fields are unquoted into one buffer reused from record to record.
//
// A quoted field may span lines (its newlines are kept); a quote inside a
// field that does not close it is kept as text (lazy quotes). A line cut
// at the line limit may end inside a quoted field: read on, the open quote
// would swallow every row after it into one field, so the cut closes the
// field and the record, and the record is marked cut (counted unparsed).
type csvScanner struct {
	next  func() (Line, bool)
	buf   []byte // the record's fields, unquoted, one after the other
	ends  []int  // end of each field in buf
	start int64  // the record's first and last physical lines
	end   int64
	cut   bool // a line of the record was cut at the line limit
}

// scan reads the next record; false at the end of the input. The fields
// are valid until the next call.
func (s *csvScanner) scan() bool {
	var l Line
	for {
		var ok bool
		if l, ok = s.next(); !ok {
			return false
		}
		if len(l.Text) > 0 {
			break
		}
	}
	s.buf, s.ends = s.buf[:0], s.ends[:0]
	s.start, s.end, s.cut = l.N, l.N, l.Cut
	line := l.Text
	pos := 0
	for {
		// A field: bare up to the next comma, or quoted.
		if pos >= len(line) || line[pos] != '"' {
			i := bytes.IndexByte(line[pos:], ',')
			if i < 0 {
				s.buf = append(s.buf, line[pos:]...)
				s.ends = append(s.ends, len(s.buf))
				return true
			}
			s.buf = append(s.buf, line[pos:pos+i]...)
			s.ends = append(s.ends, len(s.buf))
			pos += i + 1
			continue
		}
		pos++
	quoted:
		for {
			i := bytes.IndexByte(line[pos:], '"')
			if i < 0 {
				// The field goes on past the line's end, with its newline;
				// a cut line closes it.
				s.buf = append(s.buf, line[pos:]...)
				if l.Cut {
					s.ends = append(s.ends, len(s.buf))
					return true
				}
				s.buf = append(s.buf, '\n')
				var ok bool
				if l, ok = s.next(); !ok {
					// The end of the input ends the field.
					s.ends = append(s.ends, len(s.buf))
					return true
				}
				s.end = l.N
				s.cut = s.cut || l.Cut
				line, pos = l.Text, 0
				continue
			}
			s.buf = append(s.buf, line[pos:pos+i]...)
			pos += i + 1
			switch {
			case pos < len(line) && line[pos] == '"': // "" is a quote
				s.buf = append(s.buf, '"')
				pos++
			case pos < len(line) && line[pos] == ',': // the field ends
				s.ends = append(s.ends, len(s.buf))
				pos++
				break quoted
			case pos == len(line): // the field and the record end
				s.ends = append(s.ends, len(s.buf))
				return true
			default: // a lazy quote, kept
				s.buf = append(s.buf, '"')
			}
		}
	}
}

// fields returns the record's fields as strings viewing the scanner's
// buffer (valid until the next scan), in dst.
func (s *csvScanner) fields(dst []string) []string {
	dst = dst[:0]
	prev := 0
	for _, e := range s.ends {
		dst = append(dst, bstring(s.buf[prev:e]))
		prev = e
	}
	return dst
}

// csvSplitLine reads the first record of one line as encoding/csv would
// from a reader holding that line alone (detection reads headers so).
func csvSplitLine(line []byte) []string {
	done := false
	s := csvScanner{next: func() (Line, bool) {
		if done {
			return Line{}, false
		}
		done = true
		return Line{N: 1, Text: line}, true
	}}
	if !s.scan() {
		return nil
	}
	return slices.Clone(s.fields(nil))
}

// csvMaxWarnings caps the messages one file can produce; the rest are
// counted in a last message.
const csvMaxWarnings = 20

// csvParser is the state of one file's parse.
type csvParser struct {
	c      *Context
	kind   csvKind
	cols   csvCols
	width  int // header field count
	warns  int
	hdrLn  int64
	fields []string
	// usersUnknown: a history header without a user count column.
	usersUnknown bool
	// figures holds a history row's numbers while it is written.
	figures [18]float64
}

func (p *csvParser) warnf(line int64, format string, args ...any) {
	p.warns++
	if p.warns <= csvMaxWarnings {
		p.c.Warnf(line, format, args...)
	}
}

func (locustCSV) Parse(c *Context) error {
	sc := &csvScanner{next: c.Next}
	p := &csvParser{c: c}
	var done int64 // last physical line accounted for
	for sc.scan() {
		start, end := sc.start, sc.end
		// Empty lines before the record are blank separators.
		c.Fold(start - 1 - done)
		done = end
		rec := sc.fields(p.fields[:0])
		if sc.cut {
			p.unparsedRec(rec, start, end, "a field was cut at the line limit")
			c.Lossf(start, "a field is longer than %d bytes and was cut; the row is counted as unparsed", c.In.lineLimit())
			continue
		}
		if p.kind == csvUnknown && p.hdrLn == 0 {
			p.header(rec, start, end)
			continue
		}
		p.row(rec, start, end)
	}
	// Trailing empty lines.
	if c.last > done {
		c.Fold(c.last - done)
	}
	if p.hdrLn == 0 && c.last > 0 {
		c.Warnf(0, "no CSV header found")
	}
	if p.warns > csvMaxWarnings {
		c.Warnf(0, "%d more warnings not shown", p.warns-csvMaxWarnings)
	}
	return nil
}

func (p *csvParser) header(rec []string, start, end int64) {
	p.hdrLn = start
	if fixed := csvSplitHeader(rec); len(fixed) != len(rec) {
		bad := ""
		for _, h := range rec {
			if strings.Contains(h, ",") && bad == "" {
				bad = h
			}
		}
		p.warnf(start, "header field %q holds several column names (a quote lost in Locust's header); read as %d columns", bad, len(fixed))
		rec = fixed
	}
	p.cols = csvColumns(rec)
	p.width = len(rec)
	p.kind, _ = csvKindOf(p.cols)
	if p.kind == csvHistory {
		p.usersUnknown = p.cols[colUsers] < 0
		csvOldHistory(&p.cols)
	}
	if p.kind == csvUnknown {
		txt := strings.Join(rec, ",")
		p.c.Unparsed(Line{N: start, Text: []byte(txt)}, "not a Locust CSV header")
		for n := start + 1; n <= end; n++ {
			p.c.Unparsed(Line{N: n}, "not a Locust CSV header")
		}
		p.warnf(start, "header is none of Locust's stats, stats_history, failures or exceptions headers; rows not read")
		return
	}
	p.c.runHeader = true
	p.c.Fold(end - start + 1)
}

// unparsedRec accounts for every physical line of a record that could not
// be read.
func (p *csvParser) unparsedRec(rec []string, start, end int64, why string) {
	txt := strings.Join(rec, ",")
	if i := strings.IndexByte(txt, '\n'); i >= 0 {
		txt = txt[:i]
	}
	p.c.Unparsed(Line{N: start, Text: []byte(txt)}, why)
	for n := start + 1; n <= end; n++ {
		p.c.Unparsed(Line{N: n}, why+" (continued)")
	}
}

func (p *csvParser) row(rec []string, start, end int64) {
	if p.kind == csvUnknown {
		p.unparsedRec(rec, start, end, "no Locust CSV header before this row")
		return
	}
	if len(rec) != p.width {
		p.warnf(start, "%d fields where the header (line %d) has %d; reading the columns present", len(rec), p.hdrLn, p.width)
	}
	p.fields = rec
	switch p.kind {
	case csvStats:
		p.stat(start, end)
	case csvHistory:
		p.history(start, end)
	case csvFailures:
		p.failure(start, end)
	case csvExceptions:
		p.exception(start, end)
	case csvDistribution:
		p.distribution(start, end)
	}
}

// get returns the cell of a slot, "" when the column is absent from the
// header or from this row.
func (p *csvParser) get(slot int) (string, bool) {
	i := p.cols[slot]
	if i < 0 || i >= len(p.fields) {
		return "", false
	}
	return p.fields[i], true
}

// float reads a slot as a number into *dst (pointing into a block the row
// owns); N/A, empty and absent cells leave it nil.
func (p *csvParser) float(slot int, line int64, cell *float64) *float64 {
	s, ok := p.get(slot)
	if !ok {
		return nil
	}
	s = strings.TrimSpace(s)
	if s == "" || s == "N/A" || s == "n/a" {
		return nil
	}
	if v, ok := lexDecimal(s); ok {
		*cell = v
		return cell
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) {
		p.warnf(line, "column %d: %q is not a number; read as null", p.cols[slot]+1, s)
		return nil
	}
	*cell = v
	return cell
}

// int reads a count; Locust writes them as integers, but a float with no
// fraction is accepted.
func (p *csvParser) int(slot int, line int64) (int64, bool) {
	s, ok := p.get(slot)
	if !ok {
		return 0, false
	}
	s = strings.TrimSpace(s)
	if s == "" || s == "N/A" {
		return 0, false
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<62 {
		return int64(f), true
	}
	p.warnf(line, "column %d: %q is not a count; read as 0", p.cols[slot]+1, s)
	return 0, false
}

func (p *csvParser) percentiles(pc *Percentiles, line int64, block []float64) {
	for i, ptr := range pc.Ptrs() {
		*ptr = p.float(colPct+i, line, &block[i])
	}
}

func (p *csvParser) stat(start, end int64) {
	name, ok := p.get(colName)
	if !ok {
		p.unparsedRec(p.fields, start, end, "stats row without a Name")
		return
	}
	typ, ok := p.get(colType)
	if !ok {
		typ, _ = p.get(colMethod) // Locust 0.x: "Method"
	}
	typ, name = csvAggregated(typ, name)
	// Stats rows are kept until every file is read (mergeDistributions):
	// their strings are copied out of the scanner's buffer.
	r := StatRow{Run: p.c.Run, Source: "csv", Line: start, Type: strings.Clone(typ), Name: strings.Clone(name)}
	r.Requests, _ = p.int(colRequests, start)
	r.Failures, _ = p.int(colFailures, start)
	// One allocation for every figure of the row.
	b := new([18]float64)
	r.Median = p.float(colMedian, start, &b[0])
	r.Average = p.float(colAverage, start, &b[1])
	r.Min = p.float(colMin, start, &b[2])
	r.Max = p.float(colMax, start, &b[3])
	r.AvgContentSize = p.float(colContent, start, &b[4])
	r.RPS = p.float(colRPS, start, &b[5])
	r.FPS = p.float(colFPS, start, &b[6])
	p.percentiles(&r.Percentiles, start, b[7:])
	p.c.Record(start, end)
	p.c.Stat(r)
}

func (p *csvParser) history(start, end int64) {
	ts, _ := p.get(colTimestamp)
	t, ok := csvUnixTime(strings.TrimSpace(ts))
	if !ok {
		p.unparsedRec(p.fields, start, end, "history row without a Unix-seconds Timestamp")
		return
	}
	name, _ := p.get(colName)
	typ, _ := p.get(colType)
	typ, name = csvAggregated(typ, name)
	// Written at once to the table (its dictionaries copy new values),
	// the row borrows the scanner's buffer and the parser's figures; one
	// kept as a struct (ParseFile) owns its own.
	b := &p.figures
	if p.c.tables == nil || p.c.hold {
		typ, name, b = strings.Clone(typ), strings.Clone(name), new([18]float64)
	}
	r := HistoryRow{Run: p.c.Run, Source: "csv", Line: start, Time: t, Type: typ, Name: name, UsersUnknown: p.usersUnknown}
	r.Users, _ = p.int(colUsers, start)
	r.TotalRequests, _ = p.int(colTotalRequests, start)
	r.TotalFailures, _ = p.int(colTotalFailures, start)
	r.RPS = p.float(colRPS, start, &b[0])
	r.FPS = p.float(colFPS, start, &b[1])
	r.TotalMedian = p.float(colTotalMedian, start, &b[2])
	r.TotalAverage = p.float(colTotalAverage, start, &b[3])
	r.TotalMin = p.float(colTotalMin, start, &b[4])
	r.TotalMax = p.float(colTotalMax, start, &b[5])
	r.TotalAvgContentSize = p.float(colTotalContent, start, &b[6])
	p.percentiles(&r.Percentiles, start, b[7:])
	p.c.Record(start, end)
	p.c.History(r)
}

// csvUnixTime reads Locust's Timestamp: Unix seconds, which are UTC by
// definition; a fraction is kept to the microsecond.
func csvUnixTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v < 0 || v > 1<<40 {
			return time.Time{}, false
		}
		return time.Unix(v, 0).UTC(), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1<<40 || math.IsNaN(f) {
		return time.Time{}, false
	}
	sec := math.Floor(f)
	us := math.Round((f - sec) * 1e6)
	return time.Unix(int64(sec), int64(us)*1000).UTC(), true
}

func (p *csvParser) failure(start, end int64) {
	name, ok := p.get(colName)
	if !ok {
		p.unparsedRec(p.fields, start, end, "failures row without a Name")
		return
	}
	r := FailureRow{Run: p.c.Run, Source: "csv", Line: start, Name: strings.Clone(name)}
	r.Method, _ = p.get(colMethod)
	r.Error, _ = p.get(colError)
	r.Method, r.Error = strings.Clone(r.Method), strings.Clone(r.Error)
	r.Occurrences, _ = p.int(colOccurrences, start)
	p.c.Record(start, end)
	p.c.Failure(r)
}

func (p *csvParser) exception(start, end int64) {
	msg, ok := p.get(colMessage)
	if !ok {
		p.unparsedRec(p.fields, start, end, "exceptions row without a Message")
		return
	}
	r := ExceptionRow{Run: p.c.Run, Source: "csv", Line: start, Message: strings.Clone(msg)}
	r.Count, _ = p.int(colCount, start)
	r.Traceback, _ = p.get(colTraceback)
	r.Nodes, _ = p.get(colNodes)
	r.Traceback, r.Nodes = strings.Clone(r.Traceback), strings.Clone(r.Nodes)
	p.c.Record(start, end)
	p.c.Exception(r)
}

// distribution reads a row of Locust 0.x's PREFIX_distribution.csv: "METHOD
// name" (or the total row, "None Total" / "Total"), its request count and
// percentiles. The row is not a stats row of its own — it has no failures
// — and is merged into PREFIX_requests.csv's row by Assemble.
func (p *csvParser) distribution(start, end int64) {
	name, ok := p.get(colName)
	if !ok {
		p.unparsedRec(p.fields, start, end, "distribution row without a Name")
		return
	}
	typ := ""
	if name == "None Total" || name == "Total" {
		name = "Aggregated"
	} else if sp := strings.IndexByte(name, ' '); sp > 0 && csvMethodWord(name[:sp]) {
		typ, name = name[:sp], name[sp+1:]
	}
	r := StatRow{Run: p.c.Run, Source: "csv", Line: start, Type: strings.Clone(typ), Name: strings.Clone(name)}
	r.Requests, _ = p.int(colRequests, start)
	p.percentiles(&r.Percentiles, start, new([11]float64)[:])
	p.c.Record(start, end)
	p.c.res.Distribution = append(p.c.res.Distribution, distributionRow{StatRow: r, File: p.c.File})
}

// csvMethodWord reports an HTTP method or Locust request type: upper-case
// letters only ("GET", "POST", "WS").
func csvMethodWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}
