// Package quote reads cited lines back from the input files by their
// position (file, line, byte offset), so that what a report quotes is the
// file's own line — redacted, as every output is — and never a rendering
// of parsed fields. The parse stage records the positions; the report stage
// asks for the lines it shows, file by file, each file read once.
package quote

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/logcorr/logcorr/model/schema"
	"github.com/logcorr/logcorr/parsers"
	"github.com/logcorr/logcorr/redact"
)

// Request is one cited line.
type Request struct {
	// Pos is the line (Pos.Line, at byte Pos.Offset of the decoded
	// stream); Pos.File its file, unless ByPath: then Path names it (a
	// Locust row knows its file by path).
	Pos    schema.Ref
	ByPath bool
	Path   string
	// Set receives the line as read back (redacted unless the run keeps
	// secrets), without its line end.
	Set func(line string)
}

// Resolve reads every request's line and hands it to its Set. A file
// that cannot be read back (gone, or changed since it was parsed) leaves
// its requests as they were and is named in the messages returned; so is
// a path two files share (several folders' logs/x.log).
func Resolve(files []schema.File, noRedact bool, reqs []Request) []string {
	byPath := map[string]schema.FileID{}
	dup := map[string]bool{}
	for i, f := range files {
		if f.Format == schema.SourceLocustHTML {
			// A Locust row or fact from an HTML report has no line of
			// its own (the report is markup, its data one script line):
			// it keeps the rendering, which names where it came from.
			continue
		}
		if _, ok := byPath[f.Path]; ok {
			dup[f.Path] = true
		}
		byPath[f.Path] = schema.FileID(i)
	}
	type key struct{ line, offset int64 }
	perFile := map[schema.FileID]map[key][]func(string){}
	var msgs []string
	ambiguous := map[string]bool{}
	for _, r := range reqs {
		id := r.Pos.File
		if r.ByPath {
			var ok bool
			if id, ok = byPath[r.Path]; !ok || dup[r.Path] {
				if ok {
					ambiguous[r.Path] = true
				}
				continue
			}
		}
		if int(id) >= len(files) {
			continue
		}
		if perFile[id] == nil {
			perFile[id] = map[key][]func(string){}
		}
		k := key{r.Pos.Line, r.Pos.Offset}
		perFile[id][k] = append(perFile[id][k], r.Set)
	}
	ids := make([]schema.FileID, 0, len(perFile))
	for id := range perFile {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		keys := make([]key, 0, len(perFile[id]))
		for k := range perFile[id] {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].offset < keys[j].offset })
		refs := make([]schema.Ref, len(keys))
		for i, k := range keys {
			refs[i] = schema.Ref{File: id, Line: k.line, End: k.line, Offset: k.offset}
		}
		lines, err := parsers.ReadLines(files[id], refs)
		if err != nil {
			msgs = append(msgs, fmt.Sprintf("%s: the lines it is cited for cannot be read back (%v); the report quotes them as parsed", files[id].Path, err))
			continue
		}
		for i, k := range keys {
			if len(lines[i]) == 0 {
				continue
			}
			line := string(lines[i][0])
			if !noRedact {
				line = redact.String(line)
			}
			for _, set := range perFile[id][k] {
				set(line)
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(ambiguous)) {
		msgs = append(msgs, fmt.Sprintf("%s: several inputs share this name; its cited lines are quoted as parsed", p))
	}
	return msgs
}
