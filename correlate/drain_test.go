package correlate

import (
	"fmt"
	"testing"
)

func TestDrainTemplates(t *testing.T) {
	var msgs []string
	for i := range 93 {
		msgs = append(msgs, fmt.Sprintf("C-0x555ee7b7%04x: rabdb/rabapp@127.0.0.1:%d pooler error: query_wait_timeout", i, 44000+i))
	}
	for i := range 20 {
		msgs = append(msgs, fmt.Sprintf("login_server_error username=tester%03d status=500 url=http://127.0.0.1:8000/accounts/login/ error=unknown", i))
	}
	users := []string{"alice", "bob", "carol", "dave"}
	for i := range 8 {
		msgs = append(msgs, fmt.Sprintf("Forbidden (CSRF token missing.): /api/%s/", users[i%4]))
	}
	msgs = append(msgs, "got SIGTERM, fast exit")
	d := NewDrain()
	for _, m := range msgs {
		d.Add(maskText(m))
	}
	got := map[string]int64{}
	for _, c := range d.Clusters() {
		got[c.Template()] = c.Count
	}
	want := map[string]int64{
		"C-<*>: rabdb/rabapp@<*>.<*>.<*>.<*>:<*> pooler error: query_wait_timeout":                                93,
		"login_server_error username=<*> status=<*> url=http://<*>.<*>.<*>.<*>:<*>/accounts/login/ error=unknown": 20,
		"Forbidden (CSRF token missing.): <*>":                                                                    8,
		"got SIGTERM, fast exit":                                                                                  1,
	}
	if len(got) != len(want) {
		t.Errorf("got %d templates, want %d: %v", len(got), len(want), got)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("template %q: count %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

func TestDrainKeepsDifferentMessagesApart(t *testing.T) {
	d := NewDrain()
	a := d.Add("closing because: client close request (age=<*>)")
	b := d.Add("closing because: query_wait_timeout (age=<*>)")
	c := d.Add("closing because: client close request (age=<*>)")
	if a == b {
		t.Errorf("different reasons merged: %q", a.Template())
	}
	if a != c {
		t.Errorf("identical messages split")
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/api/project/17/rekap-kebutuhan/", "/api/project/<*>/rekap-kebutuhan/"},
		{"Unhandled exception [EBA505A1]: query_wait_timeout", "Unhandled exception [<*>]: query_wait_timeout"},
		{"age=120s", "age=<*>"},
		{"no numbers here", "no numbers here"},
	}
	for _, tc := range tests {
		if got := maskText(tc.in); got != tc.want {
			t.Errorf("maskText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
