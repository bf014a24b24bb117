package report

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestSanitizeTerminal(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "GET /api/ 200", "GET /api/ 200"},
		{"csi colour", "\x1b[1;31mERROR\x1b[0m boom", "ERROR boom"},
		{"osc title BEL", "\x1b]0;pwned\x07after", "after"},
		{"osc hyperlink ST", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clear screen", "a\x1b[2Jb\x1bcc", "abc"},
		{"C1 CSI", "x\u009b31my", "xy"},
		{"C0 controls", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"CR overwrite", "safe\rEVIL", "safeEVIL"},
		{"newline kept visible", "line1\nline2", "line1 ⏎ line2"},
		{"tab", "a\tb", "a b"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"unicode kept", "Pengguna ✓ é", "Pengguna ✓ é"},
		{"truncated escape", "end\x1b", "end"},
		{"unterminated osc", "x\x1b]0;title", "x"},
	}
	for _, c := range cases {
		if got := SanitizeTerminal(c.in); got != c.want {
			t.Errorf("%s: SanitizeTerminal(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// injections are log lines that try to change a markdown document.
var injections = []string{
	"a `code` b ``double`` c",
	"```",
	"```\n# Heading from a log\n```",
	"col1 | col2 | col3",
	"</table><script>alert(1)</script>",
	"[click me](http://evil.example/)",
	"![img](http://evil.example/x.png)",
	"`",
	"` leading and trailing `",
	"# not a heading",
	"- not a list",
	"1. not a list",
	"> not a quote",
	"*emph* _emph_ __init__ ~~strike~~",
	"\\`escaped\\` \\",
	"line1\n\nline2",
	"&lt; entity &amp;",
	"    four spaces",
}

// codeSpan parses s as exactly one CommonMark inline code span and returns
// its content, or ok=false.
func codeSpan(s string) (string, bool) {
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	if n == 0 || len(s) < 2*n {
		return "", false
	}
	body := s[n : len(s)-n]
	if strings.Repeat("`", n) != s[len(s)-n:] {
		return "", false
	}
	// No backtick run of exactly n inside (it would close the span early),
	// and the closing run is not part of a longer run.
	for i := 0; i < len(body); {
		if body[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(body) && body[j] == '`' {
			j++
		}
		if j-i == n {
			return "", false
		}
		if j == len(body) {
			return "", false
		}
		i = j
	}
	if len(body) >= 2 && body[0] == ' ' && body[len(body)-1] == ' ' && strings.Trim(body, " ") != "" {
		body = body[1 : len(body)-1]
	}
	return body, true
}

func TestMarkdownCodeInjections(t *testing.T) {
	for _, in := range injections {
		out := MarkdownCode(in)
		body, ok := codeSpan(out)
		if !ok {
			t.Errorf("MarkdownCode(%q) = %q: not a single code span", in, out)
			continue
		}
		if want := SanitizeTerminal(in); body != want {
			t.Errorf("MarkdownCode(%q) shows %q, want %q", in, body, want)
		}
		if strings.Contains(out, "\n") {
			t.Errorf("MarkdownCode(%q) = %q spans lines", in, out)
		}
		cell := MarkdownCodeCell(in)
		if strings.Count(cell, "|") != strings.Count(cell, `\|`) {
			t.Errorf("MarkdownCodeCell(%q) = %q has an unescaped pipe", in, cell)
		}
	}
}

// unescapeMarkdownText undoes MarkdownText's escapes the way a CommonMark
// renderer reads them.
func unescapeMarkdownText(s string) string {
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!|~=<>", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestMarkdownTextInjections(t *testing.T) {
	for _, in := range injections {
		out := MarkdownText(in)
		want := strings.TrimLeft(strings.ReplaceAll(in, "\n", " "), " ")
		if got := unescapeMarkdownText(out); got != want {
			t.Errorf("MarkdownText(%q) = %q reads back as %q, want %q", in, out, got, want)
		}
		for _, bad := range []string{"<", "\n"} {
			if strings.Contains(out, bad) {
				t.Errorf("MarkdownText(%q) = %q contains %q", in, out, bad)
			}
		}
		// Every structural character is escaped.
		for i := 0; i < len(out); i++ {
			c := out[i]
			if c == '\\' {
				i++
				continue
			}
			if strings.IndexByte("`*[]|~", c) >= 0 {
				t.Errorf("MarkdownText(%q) = %q: unescaped %q at %d", in, out, c, i)
			}
			if c == '_' && (i == 0 || i == len(out)-1 || !isWordRune(rune(out[i-1])) || !isWordRune(rune(out[i+1]))) {
				t.Errorf("MarkdownText(%q) = %q: underscore at %d could delimit emphasis", in, out, i)
			}
		}
		if strings.IndexByte("#-+=", out[0]) >= 0 || (out[0] >= '0' && out[0] <= '9' && strings.ContainsAny(out[:2], ".)")) {
			t.Errorf("MarkdownText(%q) = %q starts a block", in, out)
		}
	}
}

// skeleton reduces a markdown document to its block structure: per line,
// its kind and, for table rows, the number of cells.
func skeleton(doc string) []string {
	var out []string
	for _, l := range strings.Split(doc, "\n") {
		switch {
		case l == "":
			out = append(out, "blank")
		case strings.HasPrefix(l, "#"):
			out = append(out, "heading "+strings.SplitN(l, " ", 2)[0])
		case strings.HasPrefix(l, "|"):
			cells := 0
			for i := 0; i < len(l); i++ {
				if l[i] == '\\' {
					i++
					continue
				}
				if l[i] == '|' {
					cells++
				}
			}
			out = append(out, "table "+strconv.Itoa(cells))
		case strings.HasPrefix(l, "- "):
			out = append(out, "item")
		case len(l) > 2 && l[0] >= '1' && l[0] <= '9' && strings.HasPrefix(l[1:], ". "):
			out = append(out, "numbered")
		case strings.HasPrefix(l, "```") || strings.HasPrefix(l, "    ") || strings.HasPrefix(l, ">"):
			out = append(out, "BLOCK "+l)
		default:
			out = append(out, "text")
		}
	}
	return out
}

func TestMarkdownDocumentInjections(t *testing.T) {
	render := func(text string) string {
		a, fs := poolAnalysis()
		a.Sources[0].Path = "logs/" + text + ".log"
		a.Runs[0].Logs = append(a.Runs[0].Logs, a.Sources[0].Path)
		a.Sources[0].UnparsedExamples[0].Text = text
		f := &fs["hasil_test_pool_exhaustion"][0]
		f.Title, f.Summary, f.Interpretation, f.Recommendation = text, text, text, text
		for i := range f.Evidence {
			f.Evidence[i].Text = text
			f.Evidence[i].File = text
		}
		f.Missing = []string{text}
		var b bytes.Buffer
		if err := WriteMarkdown(&b, a, fs, MarkdownOptions{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	want := skeleton(render("plain"))
	for _, in := range injections {
		doc := render(in)
		got := skeleton(doc)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("log text %q changed the document's structure:\n%s", in, doc)
		}
		if strings.Contains(doc, "<script>") && !insideCode(doc, "<script>") {
			t.Errorf("log text %q put a raw <script> in the document", in)
		}
	}
}

// insideCode reports whether every occurrence of needle in doc lies inside
// an inline code span on its line.
func insideCode(doc, needle string) bool {
	for _, l := range strings.Split(doc, "\n") {
		for off := 0; ; {
			i := strings.Index(l[off:], needle)
			if i < 0 {
				break
			}
			pos := off + i
			if strings.Count(l[:pos], "`")%2 == 0 && !strings.Contains(l[:pos], "``") {
				return false
			}
			off = pos + len(needle)
		}
	}
	return true
}
