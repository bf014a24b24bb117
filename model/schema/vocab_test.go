package schema

import (
	"encoding/json"
	"testing"
)

// Every value of every vocabulary type has a name, writes it as text and
// reads back from it, and unknown names are refused.
func TestVocabularyRoundTrip(t *testing.T) {
	type roundTrip struct {
		what  string
		n     int
		check func(i int) (string, bool)
	}
	cases := []roundTrip{
		{"SourceKind", int(numSources), func(i int) (string, bool) {
			v := SourceKind(i)
			b, _ := v.MarshalText()
			var back SourceKind
			err := back.UnmarshalText(b)
			p, ok := ParseSourceKind(v.String())
			return v.String(), err == nil && back == v && ok && p == v && string(b) == v.String()
		}},
		{"EventKind", int(numKinds), func(i int) (string, bool) {
			v := EventKind(i)
			b, _ := v.MarshalText()
			var back EventKind
			err := back.UnmarshalText(b)
			p, ok := ParseEventKind(v.String())
			return v.String(), err == nil && back == v && ok && p == v && string(b) == v.String()
		}},
		{"Level", int(numLevels), func(i int) (string, bool) {
			v := Level(i)
			b, _ := v.MarshalText()
			var back Level
			err := back.UnmarshalText(b)
			p, ok := ParseLevel(v.String())
			lb, lok := LevelOf([]byte(v.String()))
			return v.String(), err == nil && back == v && ok && p == v && lok && lb == v
		}},
		{"ClockMethod", int(numClockMethods), func(i int) (string, bool) {
			v := ClockMethod(i)
			b, _ := v.MarshalText()
			var back ClockMethod
			err := back.UnmarshalText(b)
			p, ok := ParseClockMethod(v.String())
			return v.String(), err == nil && back == v && ok && p == v
		}},
		{"Origin", int(numOrigins), func(i int) (string, bool) {
			v := Origin(i)
			b, _ := v.MarshalText()
			var back Origin
			err := back.UnmarshalText(b)
			p, ok := ParseOrigin(v.String())
			return v.String(), err == nil && back == v && ok && p == v
		}},
		{"Table", int(NumTables), func(i int) (string, bool) {
			v := Table(i)
			p, ok := ParseTable(v.String())
			return v.String(), ok && p == v && v.Schema() != nil
		}},
	}
	for _, c := range cases {
		seen := map[string]bool{}
		for i := 0; i < c.n; i++ {
			name, ok := c.check(i)
			if !ok {
				t.Errorf("%s(%d) %q does not round-trip", c.what, i, name)
			}
			if seen[name] {
				t.Errorf("%s: name %q used twice", c.what, name)
			}
			seen[name] = true
		}
	}
	var k EventKind
	if err := k.UnmarshalText([]byte("no_such_kind")); err == nil {
		t.Error("an unknown event kind was accepted")
	}
	if _, err := SourceKind(200).MarshalText(); err == nil {
		t.Error("a source kind with no name was written")
	}
	if _, ok := LevelOf([]byte("warning")); ok {
		t.Error("LevelOf matched a level in another case")
	}
}

// The names are those logcorr has always printed: JSON of the typed
// values is the JSON of the old strings.
func TestVocabularyNames(t *testing.T) {
	v := struct {
		S SourceKind  `json:"s"`
		K EventKind   `json:"k"`
		L Level       `json:"l"`
		C ClockMethod `json:"c"`
		O Origin      `json:"o"`
		P Process     `json:"p"`
	}{SourcePgBouncer, KindPoolerError, LevelWarning, ClockCrossCorrelation, OriginHTML, SourceAuthDebug.Process()}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"s":"pgbouncer","k":"pooler_error","l":"WARNING","c":"cross-correlation","o":"html","p":"django"}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	procs := map[SourceKind]Process{SourceDjango: ProcessDjango, SourceRunserver: ProcessDjango, SourceAuthDebug: ProcessDjango,
		SourceLocustAuth: ProcessLocust, SourceLocustConsole: ProcessLocust, SourcePgBouncer: ProcessPgBouncer,
		SourceLocustCSV: ProcessNone, SourceLocustHTML: ProcessNone, SourceUnknown: ProcessNone}
	for s, p := range procs {
		if s.Process() != p {
			t.Errorf("%s.Process() = %q, want %q", s, s.Process(), p)
		}
	}
}
