package parsers

import (
	"reflect"
	"testing"
	"time"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// Rows survive the trip through Arrow unchanged: the correlation stage reads
// the tables, not the parsers' slices, so any loss here is a loss of data.
func TestRecordRoundTrip(t *testing.T) {
	ts := time.Date(2026, 1, 11, 4, 59, 17, 123000000, time.UTC)
	events := []Event{
		{Time: ts, Naive: true, Source: "runserver", File: "logs/runserver_8000.err.log", Line: 7, EndLine: 7,
			Kind: KindRequest, Method: "POST", Path: "/accounts/login/", Status: i64(500), Size: i64(145),
			Attrs: map[string]string{"protocol": "HTTP/1.1", "a": "b"}},
		{Source: "runserver", File: "x", Line: 8, EndLine: 30, Kind: KindTraceback, ExcType: "psycopg.errors.ProtocolViolation",
			ExcMessage: "query_wait_timeout", DurationMS: f64(10234.55)},
	}
	rec := ToRecord(events)
	defer rec.Release()
	if rec.NumRows() != 2 {
		t.Fatalf("rows %d", rec.NumRows())
	}
	back, err := FromRecord[Event](rec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, events) {
		t.Errorf("round trip changed rows:\n got %+v\nwant %+v", back, events)
	}

	stats := []StatRow{{Run: "r", Name: "Aggregated", Requests: 7064, Failures: 45, Median: f64(25),
		RPS: f64(23.58667), Percentiles: Percentiles{P95: f64(2100), P99: f64(19000)}}}
	srec := ToRecord(stats)
	defer srec.Release()
	if got := srec.Schema().FieldIndices("p99"); len(got) != 1 {
		t.Fatalf("embedded percentile columns missing from schema: %s", srec.Schema())
	}
	sback, err := FromRecord[StatRow](srec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sback, stats) {
		t.Errorf("stats round trip:\n got %+v\nwant %+v", sback, stats)
	}
}
