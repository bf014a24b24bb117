package correlate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Drain groups log messages into templates, after He et al., "Drain: An
// Online Log Parsing Approach with Fixed Depth Tree" (ICWS 2017): messages
// are split into tokens; the tree's first level is the token count, the
// next Depth-2 levels the leading tokens (a token holding a digit goes
// under the wildcard); a leaf holds templates, and a message joins the most
// similar one when at least Sim of its tokens agree, turning the tokens
// that differ into Wildcard. The outcome depends on the order messages
// arrive in, so callers feed them in a fixed order.
type Drain struct {
	Depth       int     // tree depth including the length level and the leaf; default 4
	Sim         float64 // similarity threshold; default 0.5
	MaxChildren int     // beyond it new tokens go under the wildcard; default 100
	// MaxLeafClusters bounds the templates of one leaf; default 128. A
	// message that matches none of a full leaf's joins the leaf's overflow
	// template instead of making another, as a new template would be
	// compared with every later message of the leaf: 200k messages of
	// random words under one leaf took minutes, for 200k templates that
	// group nothing. The overflow template is made and generalized like
	// any other (its tokens that differ become the wildcard).
	MaxLeafClusters int

	root     map[int]*drainNode
	clusters []*DrainCluster
	// memo remembers, per message, the leaf it reached and the cluster it
	// joined there. Messages repeat (masked, most lines of a log read the
	// same): while that leaf has not changed since, the message joins the
	// same cluster again and changes nothing but its count, so the
	// walk, the split into tokens and the similarity scan can be skipped.
	memo map[string]*drainMemo
	// toks is the token slice file reuses: a new template copies what
	// it keeps, so no message's split outlives its call.
	toks []string
}

// drainMemo is what Add did with one message: the leaf, its version then,
// and the cluster the message joined.
type drainMemo struct {
	leaf    *drainNode
	version uint64
	c       *DrainCluster
}

// Wildcard stands for a variable token.
const Wildcard = "<*>"

// DrainCluster is one template and how many messages matched it.
type DrainCluster struct {
	ID     int // creation order, from 0
	Tokens []string
	Count  int64
}

// Template is the tokens joined by single spaces.
func (c *DrainCluster) Template() string { return strings.Join(c.Tokens, " ") }

type drainNode struct {
	children map[string]*drainNode
	clusters []*DrainCluster
	// overflow is the template of the messages that matched none of a
	// full leaf's clusters (MaxLeafClusters); not among clusters, so the
	// scan stays bounded.
	overflow *DrainCluster
	// version counts the changes of a leaf's clusters: one created, or a
	// token of one turned into the wildcard.
	version uint64
}

// NewDrain returns a Drain with the usual parameters.
func NewDrain() *Drain { return &Drain{Depth: 4, Sim: 0.5, MaxChildren: 100, MaxLeafClusters: 128} }

// Clusters returns every template in creation order.
func (d *Drain) Clusters() []*DrainCluster { return d.clusters }

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// Add files a message and returns its cluster.
//
// A message met before whose leaf has not changed since joins the
// cluster it joined then: that cluster already agrees with every token
// the wildcard does not cover (so it keeps its similarity and no token
// changes), the leaf's other clusters are as they were (so none scores
// higher), and the walk from the root is the same (a node's children
// only grow, and a full node never takes the token it refused). That
// holds for a similarity threshold of at most 1, the only meaningful
// ones; the parameters are not to change once messages are added.
func (d *Drain) Add(msg string) *DrainCluster {
	if m := d.memo[msg]; m != nil && m.leaf.version == m.version && d.Sim <= 1 {
		m.c.Count++
		return m.c
	}
	return d.add(msg)
}

// addMasked is Add of string(msg), without making the string when msg
// was met before.
func (d *Drain) addMasked(msg []byte) *DrainCluster {
	if m := d.memo[string(msg)]; m != nil && m.leaf.version == m.version && d.Sim <= 1 {
		m.c.Count++
		return m.c
	}
	return d.add(string(msg))
}

func (d *Drain) add(msg string) *DrainCluster {
	leaf, c := d.file(msg)
	if d.memo == nil {
		d.memo = map[string]*drainMemo{}
	}
	if m := d.memo[msg]; m != nil {
		m.leaf, m.version, m.c = leaf, leaf.version, c
	} else {
		d.memo[msg] = &drainMemo{leaf: leaf, version: leaf.version, c: c}
	}
	return c
}

// file walks msg's tokens to their leaf and files msg in the most
// similar cluster there, or a new one: Drain's step.
func (d *Drain) file(msg string) (*drainNode, *DrainCluster) {
	d.toks = appendFields(d.toks[:0], msg)
	toks := d.toks
	if d.root == nil {
		d.root = map[int]*drainNode{}
	}
	depth := d.Depth
	if depth < 3 {
		depth = 3
	}
	n := d.root[len(toks)]
	if n == nil {
		n = &drainNode{children: map[string]*drainNode{}}
		d.root[len(toks)] = n
	}
	for i := 0; i < depth-2 && i < len(toks); i++ {
		key := toks[i]
		if hasDigit(key) || key == Wildcard {
			key = Wildcard
		}
		next := n.children[key]
		if next == nil {
			if max := d.MaxChildren; max > 0 && len(n.children) >= max {
				key = Wildcard
				next = n.children[key]
			}
			if next == nil {
				next = &drainNode{children: map[string]*drainNode{}}
				n.children[key] = next
			}
		}
		n = next
	}
	var best *DrainCluster
	bestSim, bestWild := -1.0, 0
	for _, c := range n.clusters {
		same, wild := 0, 0
		for i, t := range c.Tokens {
			if t == toks[i] {
				same++
			} else if t == Wildcard {
				wild++
			}
		}
		sim := 1.0
		if len(toks) > 0 {
			sim = float64(same) / float64(len(toks))
		}
		if sim > bestSim || (sim == bestSim && wild > bestWild) {
			best, bestSim, bestWild = c, sim, wild
		}
	}
	join := func(c *DrainCluster) {
		for i, t := range c.Tokens {
			if t != Wildcard && t != toks[i] {
				c.Tokens[i] = Wildcard
				n.version++
			}
		}
		c.Count++
	}
	if best != nil && (bestSim >= d.Sim || len(toks) == 0) {
		join(best)
		return n, best
	}
	full := d.MaxLeafClusters > 0 && len(n.clusters) >= d.MaxLeafClusters
	if full && n.overflow != nil {
		join(n.overflow)
		return n, n.overflow
	}
	c := &DrainCluster{ID: len(d.clusters), Tokens: append([]string(nil), toks...), Count: 1}
	d.clusters = append(d.clusters, c)
	if full {
		n.overflow = c
	} else {
		n.clusters = append(n.clusters, c)
	}
	n.version++
	return n, c
}

// appendFields appends what strings.Fields(s) returns to dst: the
// substrings of s between runs of white space (unicode.IsSpace), without
// a new slice per message. An ASCII byte, nearly every byte of a log
// message, is judged by a table, as strings.Fields does; only a byte past
// ASCII is decoded as a rune.
func appendFields(dst []string, s string) []string {
	start := -1 // the current field's first byte, or -1 between fields
	for i := 0; i < len(s); {
		space, size := false, 1
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			if start >= 0 {
				dst = append(dst, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
