// Package parsers reads every artifact a load test leaves behind into
// columnar Apache Arrow tables.
//
// Each format lives in its own file (django.go, authdebug.go, locustauth.go,
// runserver.go, pgbouncer.go, locustcsv.go, locusthtml.go, locustconsole.go)
// and implements [Format]. A file is opened by [Open], which undoes gzip,
// byte-order marks and UTF-16 and yields numbered lines with their byte
// offsets (LF, CRLF and a CR alone end a line); [Detect] scores a sample of
// those lines against every format; the chosen format's Parse method turns
// lines into rows.
//
// [Parse] returns the parse stage's output, a model/schema Dataset: the
// file table and each table's Arrow record batches. Rows go into the
// tables as the format adds them (emit.go: per-row checks, redaction, then
// the table writers of columns.go): the hot formats fill an evRow whose
// fields borrow the line's bytes (evrow.go), so a line costs no
// allocation; the formats that revisit their rows (locust_auth,
// locust_console, the HTML report) are held as structs until the file
// ends. Large files are parsed in chunks, in parallel, with records
// stitched at the seams (chunks.go). Every row carries file, line and byte
// offset, and [ReadLines] reads the cited lines back (readback.go).
// [ParseFile] and [ParseAll] give the same rows as structs (the format
// tests, and callers not yet on the Dataset).
//
// Every input line is accounted for: it starts a record, is folded into the
// record above it (a traceback line, a CSV header, HTML markup), or is counted
// as unparsed with an example kept in the [Audit]. For every file
// Lines == Records + Folded + Unparsed, where Records counts the physical
// lines that start a record. A folded line that begins like a record of a
// known format (recordlike.go) is counted apart, in RecordLikeFolded, with
// examples: the parser misread it, so it is not understood
// ([Audit.Understood]), the audit calls the parse partial, and detection,
// which parses its sample with every likely format, scores such folding
// against the format (detect.go).
//
// Each format reads the variants other versions and projects write
// (Doc.Variants, listed by `logcorr formats`): Locust 0.x's requests and
// distribution CSV pair (merged by [Assemble]), Django's level-first
// formatter and untimed console lines, channels' request lines, PgBouncer
// 1.7, early React and 2021 Jinja reports. Files that are not UTF-8 are
// decoded by a guessed code page when the guess is sure (codepage.go), or
// read as UTF-8 with their invalid lines counted.
//
// Time: a timestamp with an explicit zone or epoch becomes UTC. A naive wall
// clock keeps its value and is read as UTC with time_naive=true unless --tz
// names its zone; the correlation stage infers the zone later. The machine
// running logcorr never lends its own zone.
package parsers
