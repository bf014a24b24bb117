package export

import (
	"fmt"
	"strings"
)

// Markers around the generated part of docs/schema.md; the prose around
// them is written by hand.
const (
	DocBegin = "<!-- tables: generated from export/tables.go by `go test ./export -run TestSchemaDoc -update`; do not edit by hand -->"
	DocEnd   = "<!-- end of tables -->"
)

// SchemaMarkdown documents every table and column of the dataset, as
// docs/schema.md shows them between DocBegin and DocEnd.
func SchemaMarkdown() string {
	var b strings.Builder
	b.WriteString(DocBegin + "\n")
	ts := Tables()
	ts = append(ts[len(ts)-1:], ts[:len(ts)-1]...) // runs, the overview, first
	for _, t := range ts {
		fmt.Fprintf(&b, "\n### `%s`\n\n%s\n\n", t.Name, t.Doc)
		if t.Outside {
			b.WriteString("Partitions: one per run, and `run=__none__`.\n\n")
		} else {
			b.WriteString("Partitions: one per run.\n\n")
		}
		b.WriteString("| # | column | type | null | unit | meaning |\n| --: | --- | --- | --- | --- | --- |\n")
		for i, c := range t.Columns {
			null := "no"
			if c.Nullable {
				null = "yes"
			}
			fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s | %s |\n", i, c.Name, c.Kind, null, c.Unit, strings.ReplaceAll(c.Doc, "|", `\|`))
		}
	}
	b.WriteString("\n" + DocEnd + "\n")
	return b.String()
}

// frozen is the contract's line form: one "table column type null" line
// per column, in file order, as testdata/schema.v1 freezes it.
func frozen() string {
	var b strings.Builder
	for _, t := range Tables() {
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "%s %s %s %v\n", t.Name, c.Name, c.Kind, c.Nullable)
		}
	}
	return b.String()
}
