package report

import (
	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/model"
)

// RunParams are a run's parameters read from its name and Locust's meta;
// they moved to model (the rules read them too). The JSON names are
// unchanged.
type RunParams = model.RunParams

// ParseRunName reads the parameters encoded in a run name (model.ParseRunName).
func ParseRunName(name string) RunParams { return model.ParseRunName(name) }

// ParamsOf reads a run's parameters from its name and meta (model.ParamsOf).
func ParamsOf(r *correlate.Run) RunParams { return model.ParamsOf(r) }

// headerLabel is the run's parameter label for a header line that already
// says the peak user count: the configured users are left out when they
// are that same number ("peak 35 users, pool exhaustion", not "peak 35
// users, 35 users · pool exhaustion"), and kept when they differ, which is
// worth seeing.
func headerLabel(r *correlate.Run) string {
	p := ParamsOf(r)
	if n := UsersMaxOf(r); n != nil && p.Users == *n {
		p.Users = 0
	}
	return p.Label()
}
