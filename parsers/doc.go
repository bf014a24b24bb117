// Package parsers reads every artifact a load test leaves behind into
// columnar Apache Arrow tables.
//
// Each format lives in its own file (django.go, authdebug.go, locustauth.go,
// runserver.go, pgbouncer.go, locustcsv.go, locusthtml.go, locustconsole.go)
// and implements [Format]. A file is opened by [Open], which undoes gzip,
// byte-order marks, UTF-16 and CRLF and yields numbered lines; [Detect]
// scores a sample of those lines against every format; the chosen format's
// Parse method turns lines into rows of the tables described in schema.go.
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
