package rules

import (
	"strings"
	"testing"
)

// The literal filter never rules out a text the rule's pattern matches:
// the built-in texts in every case, cut, padded, with non-ASCII letters
// around or inside them; and it does rule out ordinary ASCII lines.
func TestLiteralFilterNeverHidesAMatch(t *testing.T) {
	set, err := Load(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := set.byID["allauth-rate-limited"].params.(*allauthRateLimitedParams)
	re, err := rateLimitRE(p.Texts)
	if err != nil {
		t.Fatal(err)
	}
	f := newLiteralFilter(p.Texts)
	if f.needles == nil {
		t.Fatal("the built-in texts are plain words: the filter should be on")
	}
	var low []byte
	var cases []string
	for _, tx := range p.Texts {
		w := tx.src
		for _, v := range []string{w, strings.ToUpper(w), strings.ToLower(w), w[1:], w[:len(w)-1],
			strings.ReplaceAll(w, "k", "\u212a"), strings.ReplaceAll(w, "i", "\u0130")} {
			cases = append(cases, v, "error="+v+". Coba lagi nanti.", "login_page_returned username=tester001 error="+v, "é "+v)
		}
	}
	cases = append(cases, "", "C-0x55e7: rabdb/rabapp@127.0.0.1:49422 login attempt: db=rabdb user=rabapp tls=no",
		"login_page_returned username=tester001 url=http://127.0.0.1:8000/accounts/login/ error=Nama pengguna dan/atau kata sandi yang anda masukkan tidak benar.")
	ruledOut := 0
	for _, s := range cases {
		m, err := re.FindStringMatch(s)
		matched := err == nil && m != nil
		may := f.mayMatch(s, &low)
		if matched && !may {
			t.Errorf("%q matches the pattern but the filter rules it out", s)
		}
		if !may {
			ruledOut++
		}
	}
	if ruledOut == 0 {
		t.Error("the filter ruled nothing out")
	}
	// A word that is not plain turns the filter off.
	if g := newLiteralFilter([]Pattern{{src: "Too many (failed)? login"}}); g.needles != nil {
		t.Error("a pattern with metacharacters must not be filtered as words")
	}
}

// login-failure-uncounted's words filter never rules out a line its
// pattern matches.
func TestLoginPageReturnedWordsNeverHideAMatch(t *testing.T) {
	if loginPageReturnedWords.needles == nil {
		t.Fatal("the filter should be on")
	}
	var low []byte
	for _, s := range []string{"login_page_returned username=tester001", "LOGIN_PAGE_RETURNED", "x Login FAILED for tester002", "login failed",
		"Login  FAILED", "login_page_returnedx", "é login failed", "login fa\u0130led", "ordinary line", ""} {
		if matches(loginPageReturnedRE, s) && !loginPageReturnedWords.mayMatch(s, &low) {
			t.Errorf("%q matches the pattern but the filter rules it out", s)
		}
	}
	if loginPageReturnedWords.mayMatch("login_server_error username=tester001 status=500", &low) {
		t.Error("a line without the words is not ruled out")
	}
}
