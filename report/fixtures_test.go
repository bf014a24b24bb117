package report

import (
	"time"

	"github.com/logcorr/logcorr/parsers"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// v18Result is a hand-built parse result with figures copied from the
// user's run hasil_test_v18_100u_pgbouncer_redis_20260111_114225 (the
// _stats.csv Aggregated and Login POST rows, its failures row, and one
// history row).
func v18Result() *parsers.Result {
	const run = "hasil_test_v18_100u_pgbouncer_redis_20260111_114225"
	const file = run + "_stats.csv"
	login := parsers.StatRow{Run: run, Source: "csv", File: file, Line: 5, Type: "POST", Name: "[AUTH] Login POST",
		Requests: 100, Failures: 45, Median: f64(73), Average: f64(4639.382706000033), Min: f64(15.126600002986379),
		Max: f64(51457.469000000856), AvgContentSize: f64(9685.24), RPS: f64(0.3342212985725516), FPS: f64(0.15039958435764822),
		Percentiles: parsers.Percentiles{P50: f64(74), P66: f64(96), P75: f64(110), P80: f64(120), P90: f64(260), P95: f64(51000),
			P98: f64(51000), P99: f64(51000), P999: f64(51000), P9999: f64(51000), P100: f64(51000)}}
	agg := parsers.StatRow{Run: run, Source: "csv", File: file, Line: 6, Name: "Aggregated",
		Requests: 7064, Failures: 45, Median: f64(25), Average: f64(723.1334955124695), Min: f64(2.812499995343387),
		Max: f64(60413.606599999184), AvgContentSize: f64(14471.804077010192), RPS: f64(23.609392531165046), FPS: f64(0.15039958435764822),
		Percentiles: parsers.Percentiles{P50: f64(25), P66: f64(38), P75: f64(52), P80: f64(65), P90: f64(140), P95: f64(2100),
			P98: f64(16000), P99: f64(19000), P999: f64(50000), P9999: f64(60000), P100: f64(60000)}}
	return &parsers.Result{
		Audit: parsers.Audit{Path: file, Format: "locust_stats_csv", Confidence: 1, Encoding: "utf-8", Run: run,
			Lines: 6, Records: 5, Folded: 1, Tables: map[string]int64{parsers.TableStats: 2}},
		Stats: []parsers.StatRow{login, agg},
		History: []parsers.HistoryRow{{Run: run, Source: "csv", File: run + "_stats_history.csv", Line: 2,
			Time: time.Unix(1768106545, 0).UTC(), Users: 100, Name: "Aggregated", RPS: f64(23.6), FPS: f64(0.15),
			TotalRequests: 7064, TotalFailures: 45}},
		Failures: []parsers.FailureRow{{Run: run, Source: "csv", File: run + "_failures.csv", Line: 2, Method: "POST",
			Name: "[AUTH] Login POST", Error: "HTTPError('500 Server Error: Internal Server Error for url: [AUTH] Login POST')", Occurrences: 45}},
		Events: []parsers.Event{{Time: time.Date(2026, 1, 11, 4, 42, 30, 0, time.UTC), Source: "runserver", File: "logs/runserver.log",
			Line: 7, EndLine: 7, Kind: parsers.KindRequest, Method: "POST", Path: "/accounts/login/", Status: i64(500), Size: i64(145),
			Message: "\"POST /accounts/login/ HTTP/1.1\" 500 145", Attrs: map[string]string{"b": "2", "a": "1"}}},
	}
}

func v18Dataset() *parsers.Dataset {
	return parsers.Assemble([]*parsers.Result{v18Result()})
}
