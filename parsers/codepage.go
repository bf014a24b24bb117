package parsers

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Files that are not UTF-8: Locust 1.x on Windows writes its CSV files and
// console in the locale's code page, so a Chinese, Korean or Russian
// desktop leaves GBK, CP949 or CP1251. Decoding them as UTF-8 would turn
// every endpoint name into replacement characters. The start of such a file
// is decoded with each candidate code page, and one is chosen only when its
// text is nearly all of the script that code page is for; the guess and its
// confidence go into the audit. Otherwise the file is read as UTF-8 with
// its bytes kept as they are, and the lines that are not valid UTF-8 are
// counted and reported — never silently replaced.

// codePage is a candidate legacy encoding and the script its text is in.
type codePage struct {
	name   string
	enc    encoding.Encoding
	script *unicode.RangeTable
	double bool // a double-byte encoding: non-ASCII comes in pairs
}

var codePages = []codePage{
	{"gbk", simplifiedchinese.GBK, unicode.Han, true},
	{"cp949", korean.EUCKR, unicode.Hangul, true},
	{"cp1251", charmap.Windows1251, unicode.Cyrillic, false},
}

// minCodePageConfidence is the lowest confidence a guess is acted on with.
const minCodePageConfidence = 0.8

// codePageGuess is the outcome of guessing.
type codePageGuess struct {
	cp         *codePage
	confidence float64
	why        string
}

// guessCodePage guesses the code page of p, the start of a file that is not
// valid UTF-8. The bytes are cut at their last line end, so that a sequence
// cut by the read does not count against any candidate.
func guessCodePage(p []byte) codePageGuess {
	if i := bytes.LastIndexByte(p, '\n'); i > 0 {
		p = p[:i]
	}
	// High bytes in runs of odd length can only be a single-byte code page.
	runs, odd := 0, 0
	leadsHangul, leadsOther := 0, 0
	// A high byte beside an ASCII letter ("caf\xe9") is Latin text in a
	// Western code page, not a Cyrillic word.
	high, latin := 0, 0
	for i, c := range p {
		if c < 0x80 {
			continue
		}
		high++
		if i > 0 && asciiLetter(p[i-1]) || i+1 < len(p) && asciiLetter(p[i+1]) {
			latin++
		}
	}
	for i := 0; i < len(p); {
		if p[i] < 0x80 {
			i++
			continue
		}
		j := i
		for j < len(p) && p[j] >= 0x80 {
			j++
		}
		runs++
		if (j-i)%2 == 1 {
			odd++
		}
		for k := i; k+1 < j; k += 2 {
			// KS X 1001 puts its Hangul syllables on lead bytes
			// 0xB0-0xC8; Chinese text in GB 2312 also uses 0xC9-0xF7
			// ("是" CAC7, "在" D4DA).
			switch lead := p[k]; {
			case lead >= 0xB0 && lead <= 0xC8:
				leadsHangul++
			case lead > 0xC8:
				leadsOther++
			}
		}
		i = j
	}
	var best codePageGuess
	scores := map[string]float64{}
	for i := range codePages {
		cp := &codePages[i]
		if cp.double && runs > 0 && float64(odd) > 0.2*float64(runs) {
			continue
		}
		if !cp.double && float64(latin) > 0.3*float64(high) {
			continue
		}
		out, err := cp.enc.NewDecoder().Bytes(p)
		if err != nil {
			continue
		}
		n, bad, in := 0, 0, 0
		for len(out) > 0 {
			r, size := utf8.DecodeRune(out)
			out = out[size:]
			if r < 0x80 {
				continue
			}
			n++
			switch {
			case r == utf8.RuneError:
				bad++
			case unicode.Is(cp.script, r):
				in++
			case unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r):
				in++ // full-width punctuation and the like: neutral
			}
		}
		if n == 0 || float64(bad) > 0.02*float64(n) {
			continue
		}
		s := float64(in) / float64(n) * (1 - float64(bad)/float64(n))
		if n < 4 {
			s *= 0.8 // too little text to be sure
		}
		scores[cp.name] = s
		if s > best.confidence {
			best = codePageGuess{cp: cp, confidence: s}
		}
	}
	if best.cp == nil {
		return best
	}
	best.why = fmt.Sprintf("%.0f%% of its non-ASCII text decodes to %s", 100*scores[best.cp.name], scriptName(best.cp))
	if g, k := scores["gbk"], scores["cp949"]; g >= minCodePageConfidence && k >= minCodePageConfidence {
		// Both double-byte code pages decode Hangul and common Hanzi
		// without error: the lead bytes tell them apart.
		name := "gbk"
		if leadsOther*33 < leadsHangul {
			name = "cp949"
		}
		for i := range codePages {
			if codePages[i].name == name {
				best.cp = &codePages[i]
			}
		}
		best.confidence = 0.9 * scores[name]
		best.why = fmt.Sprintf("%.0f%% of its non-ASCII text decodes to %s; GBK and CP949 both fit, lead bytes chose %s", 100*scores[name], scriptName(best.cp), name)
	}
	return best
}

func asciiLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func scriptName(cp *codePage) string {
	switch cp.script {
	case unicode.Han:
		return "Chinese characters"
	case unicode.Hangul:
		return "Hangul"
	}
	return "Cyrillic"
}

// validUTF8Prefix reports whether p is valid UTF-8, allowing a sequence cut
// at its end by the read.
func validUTF8Prefix(p []byte) bool {
	for k := 0; k < 3 && len(p) > 0 && !utf8.FullRune(p[lastRuneStart(p):]); k++ {
		p = p[:lastRuneStart(p)]
	}
	return utf8.Valid(p)
}

func lastRuneStart(p []byte) int {
	i := len(p) - 1
	for i > 0 && !utf8.RuneStart(p[i]) {
		i--
	}
	return i
}
