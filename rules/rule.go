package rules

// Rule is one rule as loaded from YAML.
type Rule struct {
	ID       string `yaml:"id"`
	Title    string `yaml:"title"`
	Severity string `yaml:"severity"` // info|low|medium|high|critical
	Category string `yaml:"category"` // server|test-validity|metrics
	Doc      string `yaml:"doc"`
	// Check names a Go check (RegisterCheck) that decides the rule.
	Check string `yaml:"check,omitempty"`
	// Params are the rule's tunables, read by its check.
	Params map[string]any `yaml:"params,omitempty"`
	// Match is the generic matcher (match.go): a rule without Check needs
	// one. It lets users write rules without Go code.
	Match *Match `yaml:"match,omitempty"`
	// Summary, Interpretation and Recommendation are text/template
	// strings for findings of a Match rule (see MatchData for the fields
	// they can use); Go checks may read them as defaults.
	Summary        string `yaml:"summary,omitempty"`
	Interpretation string `yaml:"interpretation,omitempty"`
	Recommendation string `yaml:"recommendation,omitempty"`
	// Confidence is a Match rule's confidence (0..1, default 0.8).
	Confidence float64 `yaml:"confidence,omitempty"`
	// Origin is where the rule was loaded from ("builtin/x.yaml" or a
	// user path), for messages.
	Origin string `yaml:"-"`
}

// Float returns a numeric parameter, or def when absent or not a number.
func (r *Rule) Float(name string, def float64) float64 {
	switch v := r.Params[name].(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return def
}

// String returns a string parameter, or def.
func (r *Rule) String(name, def string) string {
	if v, ok := r.Params[name].(string); ok {
		return v
	}
	return def
}
