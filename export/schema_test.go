package export

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated part of docs/schema.md and append new columns to testdata/schema.v1")

const schemaDoc = "../docs/schema.md"

// docs/schema.md documents exactly the tables the writer writes.
func TestSchemaDoc(t *testing.T) {
	b, err := os.ReadFile(schemaDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, DocBegin), strings.Index(doc, DocEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated section's markers", schemaDoc)
	}
	current := doc[i : j+len(DocEnd)+1]
	want := SchemaMarkdown()
	if current == want {
		return
	}
	if *update {
		if err := os.WriteFile(schemaDoc, []byte(doc[:i]+want+doc[j+len(DocEnd)+1:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date with export/tables.go; run: go test ./export -run TestSchemaDoc -update", schemaDoc)
}

// The schema is add-only: every column testdata/schema.v1 froze is still
// there, at the same place, with the same type and nullability. New
// columns go at the end of their table, new tables anywhere.
func TestSchemaAddOnly(t *testing.T) {
	path := filepath.Join("testdata", "schema.v1")
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) && *update {
		if err := os.WriteFile(path, []byte(frozen()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	cur := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(frozen()), "\n") {
		table := strings.Fields(l)[0]
		cur[table] = append(cur[table], l)
	}
	old := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		table := strings.Fields(l)[0]
		old[table] = append(old[table], l)
	}
	grew := false
	for table, lines := range old {
		c := cur[table]
		if len(c) < len(lines) {
			t.Errorf("table %s lost columns: %d frozen, %d now", table, len(lines), len(c))
			continue
		}
		for k, l := range lines {
			if c[k] != l {
				t.Errorf("table %s column %d: frozen %q, now %q (columns are only added at the end)", table, k, l, c[k])
			}
		}
		grew = grew || len(c) > len(lines)
	}
	for table := range cur {
		if _, ok := old[table]; !ok {
			grew = true
		}
	}
	if !grew || t.Failed() {
		return
	}
	if *update {
		// Append only: the frozen lines stay as they are.
		var add []string
		for _, l := range strings.Split(strings.TrimSpace(frozen()), "\n") {
			if !strings.Contains(string(b), l+"\n") {
				add = append(add, l)
			}
		}
		if err := os.WriteFile(path, append(b, []byte(strings.Join(add, "\n")+"\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("columns were added; freeze them with: go test ./export -run TestSchemaAddOnly -update")
}
