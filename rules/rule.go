package rules

import "fmt"

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

	// impl is the Go check named by Check and params its typed
	// parameters decoded from Params (compile sets both).
	impl   checker
	params any
}

// compile resolves the rule's Go check and decodes its parameters into the
// check's typed params: strictly (an unknown key is an error), and for a
// built-in rule completely (every parameter has its value in the YAML).
func (r *Rule) compile() error {
	if r.Check == "" {
		return nil
	}
	c, ok := checks[r.Check]
	if !ok {
		return fmt.Errorf("check %q is not registered", r.Check)
	}
	p, err := c.decode(r.Params, IsBuiltin(r))
	if err != nil {
		return err
	}
	r.impl, r.params = c, p
	return nil
}

// Needs are the prerequisites of the rule's check (none for a match rule).
func (r *Rule) Needs() []Need {
	if r.impl == nil {
		return nil
	}
	return r.impl.needs()
}
