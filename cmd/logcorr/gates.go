package main

import (
	"github.com/urfave/cli/v2"

	"github.com/logcorr/logcorr/correlate"
	"github.com/logcorr/logcorr/rules"
)

// gateFlags are the CI gate flags of analyze and compare.
func gateFlags() []cli.Flag { return nil }

type gateSet struct{}

func parseGates(c *cli.Context) (*gateSet, error) { return &gateSet{}, nil }

func targetsFrom(g *gateSet) rules.Targets { return rules.DefaultTargets }

func applyGates(c *cli.Context, g *gateSet, a *correlate.Analysis, f map[string][]rules.Finding) (bool, error) {
	return false, nil
}
