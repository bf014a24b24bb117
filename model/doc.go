// Package model holds the facts about a Locust run that every stage after
// correlation reads the same way: which stats row is the total, which rows
// are requests, which is the login page and which the login POST, what a
// request name's body sizes say about what it answered. The rules, the
// reports and the gates all read a run through it, so a finding, a report
// line and a CI gate never disagree on what "the login row" or "an
// endpoint" is.
//
// It reads what correlate made (correlate.Run) and derives from it; it
// never re-windows or re-classifies events.
package model
