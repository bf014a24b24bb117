package report

import "github.com/logcorr/logcorr/gates"

// GateDoc is one --slo gate's result for one run, in the analysis and
// compare documents (docs/json.md).
type GateDoc struct {
	Gate    string `json:"gate"` // the expression as given: "p95<2s"
	Pass    bool   `json:"pass"`
	Unknown bool   `json:"unknown,omitempty"` // could not be evaluated; such a gate fails
	Actual  string `json:"actual,omitempty"`
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int64  `json:"line,omitempty"`
}

func gateDocs(run string, results []gates.Result) []GateDoc {
	var out []GateDoc
	for _, r := range results {
		if r.Run != run {
			continue
		}
		out = append(out, GateDoc{Gate: r.Gate.Source, Pass: r.Pass, Unknown: r.Unknown, Actual: r.Actual,
			Message: r.Message, File: r.File, Line: r.Line})
	}
	return out
}

// AddCompareGates puts each run's gate results into the compare document,
// and those that concern no run (gates.NoRun) at its top.
func AddCompareGates(doc *CompareDoc, results []gates.Result) {
	for i := range doc.Runs {
		doc.Runs[i].Gates = gateDocs(doc.Runs[i].Name, results)
	}
	doc.Gates = gateDocs(gates.NoRun, results)
}
