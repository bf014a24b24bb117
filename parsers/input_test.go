package parsers

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16le(s string, bom bool) []byte {
	var b bytes.Buffer
	if bom {
		b.Write([]byte{0xFF, 0xFE})
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.Bytes()
}

func utf16be(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

const twoLines = "[11/Jan/2026 12:59:17] \"POST /accounts/login/ HTTP/1.1\" 500 145\nSystem check identified no issues (0 silenced).\n"

func TestInputDecoding(t *testing.T) {
	want := []string{`[11/Jan/2026 12:59:17] "POST /accounts/login/ HTTP/1.1" 500 145`, "System check identified no issues (0 silenced)."}
	crlf := strings.ReplaceAll(twoLines, "\n", "\r\n")
	cases := []struct {
		name, file string
		data       []byte
		enc        string
		notes      int
	}{
		{"utf-8", "a.log", []byte(twoLines), "utf-8", 0},
		{"utf-8 bom", "a.log", append([]byte{0xEF, 0xBB, 0xBF}, twoLines...), "utf-8+bom", 0},
		{"crlf", "a.log", []byte(crlf), "utf-8", 0},
		{"mixed crlf lf", "a.log", []byte(strings.Replace(twoLines, "\n", "\r\n", 1)), "utf-8", 0},
		{"no final newline", "a.log", []byte(strings.TrimSuffix(twoLines, "\n")), "utf-8", 0},
		{"utf-16le bom crlf (PowerShell)", "a.err.log", utf16le(crlf, true), "utf-16le+bom", 0},
		{"utf-16be bom", "a.log", utf16be(twoLines), "utf-16be+bom", 0},
		{"utf-16le no bom", "a.log", utf16le(twoLines, false), "utf-16le(no bom)", 0},
		{"gzip", "a.log.gz", gz(twoLines), "gzip/utf-8", 0},
		{"gzip of utf-16", "a.log.gz", gz(string(utf16le(crlf, true))), "gzip/utf-16le+bom", 0},
		{"named .gz, not gzip", "a.log.gz", []byte(twoLines), "utf-8", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), c.file)
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			in, err := Open(p, c.file)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var got []string
			for {
				l, ok := in.Next()
				if !ok {
					break
				}
				if l.N != int64(len(got)+1) {
					t.Errorf("line number %d, want %d", l.N, len(got)+1)
				}
				got = append(got, string(l.Text))
			}
			if in.Err() != nil {
				t.Fatal(in.Err())
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("lines %q, want %q", got, want)
			}
			if in.Encoding != c.enc {
				t.Errorf("encoding %q, want %q", in.Encoding, c.enc)
			}
			if len(in.Notes) != c.notes {
				t.Errorf("notes %q, want %d", in.Notes, c.notes)
			}
		})
	}
}

func TestInputLongLineIsCutNotFatal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "long.log")
	long := strings.Repeat("x", 3*MaxLineBytes+17)
	os.WriteFile(p, []byte("first\n"+long+"\nlast\n"), 0o644)
	in, err := Open(p, "long.log")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var lens []int
	var cuts []bool
	for {
		l, ok := in.Next()
		if !ok {
			break
		}
		lens = append(lens, len(l.Text))
		cuts = append(cuts, l.Cut)
	}
	if len(lens) != 3 || lens[0] != 5 || lens[1] != MaxLineBytes || lens[2] != 4 {
		t.Fatalf("line lengths %v, want [5 %d 4]", lens, MaxLineBytes)
	}
	if cuts[0] || !cuts[1] || cuts[2] || in.CutN != 1 {
		t.Errorf("cut flags %v, CutN %d", cuts, in.CutN)
	}
}

func TestInputGzipCap(t *testing.T) {
	old := MaxDecompressedBytes
	MaxDecompressedBytes = 1000
	defer func() { MaxDecompressedBytes = old }()
	p := filepath.Join(t.TempDir(), "bomb.log.gz")
	os.WriteFile(p, gz(strings.Repeat("aaaaaaaaa\n", 10000)), 0o644)
	in, err := Open(p, "bomb.log.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	n := 0
	for {
		if _, ok := in.Next(); !ok {
			break
		}
		n++
	}
	if n != 100 {
		t.Errorf("read %d lines under a 1000-byte cap, want 100", n)
	}
	if !in.Capped() {
		t.Errorf("Capped() is false after reading a stream cut by the cap")
	}
}

func TestSniffEncodingPlainASCIIIsUTF8(t *testing.T) {
	if enc, _ := sniffEncoding([]byte("2026-01-11 12:59:17,123 ERROR django.request Internal Server Error: /x/")); enc != "utf-8" {
		t.Errorf("got %s", enc)
	}
}

func TestInputMaxLineOverride(t *testing.T) {
	p := filepath.Join(t.TempDir(), "report.html")
	big := "window.templateArgs = {\"x\": \"" + strings.Repeat("y", 2*MaxLineBytes) + "\"}"
	os.WriteFile(p, []byte("<html>\n"+big+"\n</html>\n"), 0o644)
	in, err := Open(p, "report.html")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	in.MaxLine = 4 * MaxLineBytes
	in.Next()
	l, _ := in.Next()
	if l.Cut || len(l.Text) != len(big) {
		t.Errorf("line of %d bytes read as %d (cut %v) with MaxLine raised", len(big), len(l.Text), l.Cut)
	}
}
