package parsers

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Windows' own message for a refused connection (WSAECONNREFUSED, 10061) in
// three locales, as users of those Windows versions quoted it. Locust 1.x
// on such a desktop writes it into _failures.csv in the locale's code page:
// testdata/public/win_*_failures.csv hold it so — Locust's row shape, the
// quoted message, encoded in the code page (composed, not quoted whole).
const (
	refusedZH = "由于目标计算机积极拒绝，无法连接。"                                                                // guapier/zi5book issue #1
	refusedKO = "대상 컴퓨터에서 연결을 거부했으므로 연결하지 못했습니다"                                                   // mdsnins/IZPM-Backup issue #13
	refusedRU = "Подключение не установлено, т.к. конечный компьютер отверг запрос на подключение" // abbat/ydcmd issue #22
)

// TestCodePages: a file in GBK, CP949 or CP1251 is decoded with the right
// code page, the guess and its confidence in the audit, and the row's text
// comes out as written; a file no code page fits is read as UTF-8 with its
// bad lines counted, never replaced.
func TestCodePages(t *testing.T) {
	tests := []struct {
		file, enc string
		e         encoding.Encoding
		msg       string
	}{
		{"win_zh_failures.csv", "gbk(guessed)", simplifiedchinese.GBK, refusedZH},
		{"win_ko_failures.csv", "cp949(guessed)", korean.EUCKR, refusedKO},
		{"win_ru_failures.csv", "cp1251(guessed)", charmap.Windows1251, refusedRU},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(publicPath(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			want, err := tt.e.NewEncoder().Bytes([]byte(tt.msg))
			if err != nil || !bytes.Contains(raw, want) || bytes.Contains(raw, []byte(tt.msg)) {
				t.Fatalf("fixture %s does not hold the message in its code page", tt.file)
			}
			res := parseText(t, "hasil_test_win_failures.csv", string(raw), Options{})
			a := res.Audit
			if a.Format != "locust_csv" || a.Encoding != tt.enc || a.EncodingConfidence < minCodePageConfidence || a.Unparsed != 0 {
				t.Fatalf("format %s encoding %s (%.2f) unparsed %d messages %q", a.Format, a.Encoding, a.EncodingConfidence, a.Unparsed, a.Messages)
			}
			if len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Error, tt.msg) {
				t.Errorf("failures %+v", res.Failures)
			}
			if len(a.Messages) == 0 || !strings.Contains(a.Messages[0], "not UTF-8: decoded as") {
				t.Errorf("messages %q", a.Messages)
			}
		})
	}
	t.Run("Latin-1 text is not taken for Cyrillic", func(t *testing.T) {
		raw := []byte("2026-01-11 12:59:17,123 ERROR django.request Internal Server Error: /caf\xe9/\n2026-01-11 12:59:18,123 ERROR django.request Internal Server Error: /ok/\n")
		res := parseText(t, "django_errors.log", string(raw), Options{})
		a := res.Audit
		if a.Encoding != "utf-8" || a.EncodingConfidence != 0 || a.Records != 2 {
			t.Fatalf("encoding %s (%.2f) records %d", a.Encoding, a.EncodingConfidence, a.Records)
		}
		found := false
		for _, m := range a.Messages {
			found = found || strings.Contains(m, "django_errors.log:1: 1 line(s) are not valid UTF-8") && strings.Contains(m, "kept as read")
		}
		if !found {
			t.Errorf("messages %q", a.Messages)
		}
		if res.Events[0].Path != "/caf\xe9/" {
			t.Errorf("path %q: bytes must be kept, not replaced", res.Events[0].Path)
		}
	})
}
