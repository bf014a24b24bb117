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
