package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// docs/schema/*.schema.json describe the JSON documents; these tests hold
// them to what logcorr really prints, on the samples and the corpora.

const schemaDir = "../../docs/schema"

func loadSchema(t *testing.T, file string) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	f, err := os.Open(filepath.Join(schemaDir, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time must be RFC 3339, not merely a string
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(file)
	if err != nil {
		t.Fatalf("%s does not compile: %v", file, err)
	}
	return s, doc.(map[string]any)
}

func decodeInstance(t *testing.T, out string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("output is not JSON: %v\n%.300s", err, out)
	}
	return v
}

// undeclared lists the object keys of inst that the schema does not name,
// as JSON paths: a field printed but not documented. Maps (schemas with
// additionalProperties and no properties) are not walked by key.
func undeclared(root map[string]any, schema map[string]any, inst any, path string, out *[]string) {
	schema = resolve(root, schema)
	if alts, ok := schema["oneOf"].([]any); ok {
		for _, a := range alts {
			as := resolve(root, a.(map[string]any))
			if t, _ := as["type"].(string); t == "object" || as["properties"] != nil {
				schema = as
			}
		}
	}
	switch v := inst.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		if props == nil {
			if ap, ok := schema["additionalProperties"].(map[string]any); ok {
				for k, item := range v {
					undeclared(root, ap, item, path+"."+k, out)
				}
			}
			return
		}
		for k, item := range v {
			ps, ok := props[k].(map[string]any)
			if !ok {
				*out = append(*out, path+"."+k)
				continue
			}
			undeclared(root, ps, item, path+"."+k, out)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for _, item := range v {
				undeclared(root, items, item, path+"[]", out)
			}
		}
	}
}

func resolve(root, s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		name := strings.TrimPrefix(ref, "#/$defs/")
		s = root["$defs"].(map[string]any)[name].(map[string]any)
	}
}

func checkAgainst(t *testing.T, file, out string) {
	t.Helper()
	s, root := loadSchema(t, file)
	inst := decodeInstance(t, out)
	if err := s.Validate(inst); err != nil {
		t.Errorf("output does not validate against %s:\n%v", file, err)
	}
	var extra []string
	undeclared(root, root, inst, "$", &extra)
	sort.Strings(extra)
	seen := map[string]bool{}
	var uniq []string
	for _, e := range extra {
		if !seen[e] {
			seen[e] = true
			uniq = append(uniq, e)
		}
	}
	if len(uniq) > 0 {
		t.Errorf("fields printed but not in %s (add them there and to docs/json.md): %v", file, uniq)
	}
}

func TestSchemasMatchRealOutput(t *testing.T) {
	samples := []string{"healthy", "many-runs", "pool-exhaustion", "rate-limited"}
	for _, s := range samples {
		dir := filepath.Join("../../samples", s)
		t.Run("analysis/"+s, func(t *testing.T) {
			out, stderr, code := invoke(t, "analyze", "--format", "json", "--fail-on", "none",
				"--slo", "p95<2s", "--slo", "no finding>=critical", "--slo", `endpoint["NOSUCH"].p95<1s`, dir)
			if code == exitUsage {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkAgainst(t, "analysis.v1.schema.json", out)
		})
		t.Run("timeline/"+s, func(t *testing.T) {
			out, stderr, code := invoke(t, "timeline", "--format", "json", dir)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkAgainst(t, "timeline.v1.schema.json", out)
		})
	}
	t.Run("compare/many-runs", func(t *testing.T) {
		out, stderr, code := invoke(t, "compare", "--format", "json", "--slo", "p95<2s", "--baseline", "hasil_test_run1", "../../samples/many-runs")
		if code == exitUsage {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		checkAgainst(t, "compare.v1.schema.json", out)
	})
	// Other teams' artifacts: a Locust 0.x run (users_max null), a partial
	// parse and code-page guesses in the audit.
	t.Run("public-variants", func(t *testing.T) {
		dir := "../../parsers/testdata/public"
		out, _, _ := invoke(t, "analyze", "--format", "json", "--fail-on", "none", dir)
		if !strings.Contains(out, `"users_max": null`) || !strings.Contains(out, `"encoding_confidence"`) {
			t.Errorf("the fixtures no longer show a null users_max and a guessed code page")
		}
		checkAgainst(t, "analysis.v1.schema.json", out)
		out, _, _ = invoke(t, "compare", "--format", "json", dir)
		checkAgainst(t, "compare.v1.schema.json", out)
		out, _, _ = invoke(t, "timeline", "--format", "json", dir)
		checkAgainst(t, "timeline.v1.schema.json", out)
	})
	for _, dir := range []string{ahsp, stackPool} {
		t.Run("corpus/"+filepath.Base(dir), func(t *testing.T) {
			needDir(t, dir)
			out, _, _ := invoke(t, "analyze", "--format", "json", "--fail-on", "none", dir)
			checkAgainst(t, "analysis.v1.schema.json", out)
			out, _, _ = invoke(t, "compare", "--format", "json", dir)
			checkAgainst(t, "compare.v1.schema.json", out)
			out, _, _ = invoke(t, "timeline", "--format", "json", dir)
			checkAgainst(t, "timeline.v1.schema.json", out)
		})
	}
}

// The schemas have teeth: documents broken the ways a script would notice
// do not validate.
func TestSchemasRejectBrokenDocuments(t *testing.T) {
	out, _, _ := invoke(t, "analyze", "--format", "json", "--fail-on", "none", poolSample)
	s, _ := loadSchema(t, "analysis.v1.schema.json")
	breaks := []struct {
		name  string
		apply func(doc map[string]any)
	}{
		{"wrong schema name", func(d map[string]any) { d["schema"] = "logcorr.analysis/v2" }},
		{"no runs", func(d map[string]any) { delete(d, "runs") }},
		{"requests as text", func(d map[string]any) { summary(d)["requests"] = "168" }},
		{"p95 missing", func(d map[string]any) { delete(summary(d), "p95_ms") }},
		{"unknown severity", func(d map[string]any) { run0(d)["findings"].([]any)[0].(map[string]any)["severity"] = "urgent" }},
		{"start not a time", func(d map[string]any) { run0(d)["start"] = "yesterday" }},
		{"gate without pass", func(d map[string]any) { run0(d)["gates"] = []any{map[string]any{"gate": "p95<2s", "message": "x"}} }},
	}
	for _, b := range breaks {
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		b.apply(doc)
		raw, _ := json.Marshal(doc)
		if err := s.Validate(decodeInstance(t, string(raw))); err == nil {
			t.Errorf("%s: the broken document validates", b.name)
		}
	}
}

func run0(d map[string]any) map[string]any    { return d["runs"].([]any)[0].(map[string]any) }
func summary(d map[string]any) map[string]any { return run0(d)["summary"].(map[string]any) }
