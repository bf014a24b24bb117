package parsers

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatVariants: every variant `logcorr formats` lists carries a real
// line: one found verbatim (or, for the code-page variant, in its code page)
// in the published fixtures of testdata/public or in the user's corpora.
func TestFormatVariants(t *testing.T) {
	var files [][]byte
	for _, glob := range []string{"testdata/public/*", "../../shared/corpus/ahsp/*", "../../shared/corpus/stack/*/*", "../../shared/corpus/stack/*/logs/*"} {
		names, _ := filepath.Glob(glob)
		for _, n := range names {
			if st, err := os.Stat(n); err != nil || st.IsDir() {
				continue
			}
			b, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
		}
	}
	corpus := len(files) > 20
	for _, f := range Formats() {
		for _, v := range f.Doc().Variants {
			if v.Name == "" || v.Versions == "" || v.Source == "" || v.Sample == "" {
				t.Errorf("%s: incomplete variant %+v", f.Name(), v)
				continue
			}
			if !corpus && (strings.Contains(v.Source, "corpus") || strings.Contains(v.Source, "the user's")) {
				continue // the user's corpora are not beside this checkout
			}
			sample := []byte(strings.TrimSuffix(v.Sample, "..."))
			forms := [][]byte{sample}
			for _, cp := range codePages {
				if b, err := cp.enc.NewEncoder().Bytes(sample); err == nil {
					forms = append(forms, b)
				}
			}
			found := false
			for _, b := range files {
				for _, s := range forms {
					found = found || bytes.Contains(b, s)
				}
			}
			if !found {
				t.Errorf("%s: variant %q: sample not found in any fixture: %s", f.Name(), v.Name, v.Sample)
			}
		}
	}
}
