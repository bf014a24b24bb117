package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model/schema"
)

// userPoolMisconfigured reads the locustfile's own messages about its
// TEST_USER_POOL.
var userPoolMisconfigured = &Check[noParams]{
	ID:    "user-pool-misconfigured",
	Doc:   "test user pool rejected entries or fell back to one user",
	Needs: []Need{{SrcLocustAuth, SrcConsole}},
	Run:   runUserPoolMisconfigured,
}

func init() { register(userPoolMisconfigured) }

// poolEntry names the rejected entry of an "invalid entry" warning: the
// parser's attrs.entry, else the quoted text after "): " in the message
// (the console log's parser does not split the message).
func poolEntry(e correlate.Event) string {
	if v := e.Attr("entry"); v != "" {
		return v
	}
	if _, after, ok := strings.Cut(e.Message(), "): '"); ok {
		if v, _, ok := strings.Cut(after, "'"); ok {
			return v
		}
	}
	return e.Message()
}

func runUserPoolMisconfigured(ctx *Context, _ *noParams) []Finding {
	r := ctx.Run
	invalid, single := poolEvents(r)
	var out []Finding
	if len(invalid) > 0 {
		// locust.log and locust_login_failures.log both carry the warning:
		// count entries, not lines.
		entries := map[string]bool{}
		for _, e := range invalid {
			entries[poolEntry(e)] = true
		}
		// How many accounts were left: the locustfile's "Multi-user pool
		// configured: N users" line. Most of the pool lost (or none left)
		// voids a multi-user test; one entry of many is a defect to fix.
		configured := -1
		for _, e := range r.Events.All() {
			if e.Kind() == schema.KindPoolConfig && e.Attr("users_count") != "" {
				if n, err := strconv.Atoi(e.Attr("users_count")); err == nil {
					configured = n
				}
			}
		}
		sev, role := High.String(), RoleValidity
		left := ""
		if configured >= 0 {
			left = fmt.Sprintf(" %d accounts were left in the pool.", configured)
			if configured > 0 && len(entries)*2 < configured+len(entries) {
				sev, role = Medium.String(), RoleContext
			}
		}
		f := Finding{
			Severity:       sev,
			Role:           role,
			Confidence:     0.95,
			Summary:        fmt.Sprintf("The locustfile rejected %d TEST_USER_POOL entr(ies) (missing ':password'): those accounts were skipped.%s", len(entries), left),
			Interpretation: "TEST_USER_POOL must be user:password pairs separated by commas. Rejected entries leave fewer (or no) accounts; users without credentials skip the login POST or all share the remaining accounts, so the multi-user test is not what it claims.",
			Recommendation: "Write TEST_USER_POOL as user1:pass1,user2:pass2 and check the 'Multi-user pool configured: N users' line before the run.",
			Metrics:        map[string]float64{"rejected_entries": float64(len(entries))},
		}
		for _, e := range invalid {
			f.Evidence = append(f.Evidence, EventEvidence(e))
		}
		out = append(out, f)
	}
	if len(single) > 0 && !nameSays(r.Name, "single") {
		f := Finding{
			Severity:       "medium",
			Confidence:     0.9,
			Summary:        "The single-user fallback was active: every virtual user logged in as the same account.",
			Interpretation: "With one account, per-account effects (allauth's login-failure rate limit, session rotation, row locks on the user) hit every user at once; results do not represent many distinct users.",
			Recommendation: "Set TEST_USER_POOL to as many accounts as users (user:password pairs) for a multi-user test.",
		}
		for _, e := range single {
			f.Evidence = append(f.Evidence, EventEvidence(e))
		}
		out = append(out, f)
	}
	return out
}

func nameSays(name, token string) bool {
	return strings.Contains(strings.ToLower(name), token)
}
