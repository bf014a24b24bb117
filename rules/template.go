package rules

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
)

// Bounds of a rule's summary, interpretation and recommendation templates.
// A template is text with a few fields in it; one that defines templates
// calling each other twice, thirty deep, writes 2^30 copies of its text
// (a user rule's summary once took memory past 8 GB that way). Lint, and
// Load which runs the same checks, refuse what these bounds cannot hold;
// render stops at MaxRenderBytes whatever the data.
const (
	MaxTemplateBytes = 4096     // source size
	MaxTemplateDepth = 10       // nesting of if/range/with/template calls
	MaxTemplateNodes = 2000     // nodes once every {{template}} call is expanded
	MaxPrintfWidth   = 100      // width or precision in a printf format
	MaxRenderBytes   = 64 << 10 // output of one render
)

// checkTemplate returns what is wrong with a rule template's source: it
// does not parse, or it exceeds a bound.
func checkTemplate(src string) []string {
	if len(src) > MaxTemplateBytes {
		return []string{fmt.Sprintf("template is %d bytes, over the %d-byte cap", len(src), MaxTemplateBytes)}
	}
	t, err := template.New("").Option("missingkey=zero").Parse(src)
	if err != nil {
		return []string{err.Error()}
	}
	trees := map[string]*parse.Tree{}
	for _, d := range t.Templates() {
		if d.Tree != nil {
			trees[d.Name()] = d.Tree
		}
	}
	c := &templateCheck{trees: trees, size: map[string]int{}, active: map[string]bool{}}
	if root := trees[""]; root != nil {
		if n := c.expand("", root.Root, 0); n > MaxTemplateNodes {
			c.problem("template expands to more than %d nodes once its {{template}} calls are expanded", MaxTemplateNodes)
		}
	}
	return c.problems
}

// templateCheck walks a template's trees once, expanding calls.
type templateCheck struct {
	trees    map[string]*parse.Tree
	size     map[string]int // expanded node count of each named template
	active   map[string]bool
	problems []string
	seen     map[string]bool
}

func (c *templateCheck) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if !c.seen[msg] {
		c.seen[msg] = true
		c.problems = append(c.problems, msg)
	}
}

// expand returns the node count of n with calls expanded (saturating at
// just over MaxTemplateNodes), recording problems on the way.
func (c *templateCheck) expand(name string, n parse.Node, depth int) int {
	if depth > MaxTemplateDepth {
		c.problem("template nested deeper than %d (if/range/with blocks and {{template}} calls)", MaxTemplateDepth)
		return MaxTemplateNodes + 1
	}
	total := 1
	add := func(k int) { total = min(total+k, MaxTemplateNodes+1) }
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return 0
		}
		for _, x := range n.Nodes {
			add(c.expand(name, x, depth))
		}
	case *parse.ActionNode:
		c.pipe(n.Pipe)
	case *parse.IfNode:
		c.pipe(n.Pipe)
		add(c.expand(name, n.List, depth+1))
		add(c.expand(name, n.ElseList, depth+1))
	case *parse.WithNode:
		c.pipe(n.Pipe)
		add(c.expand(name, n.List, depth+1))
		add(c.expand(name, n.ElseList, depth+1))
	case *parse.RangeNode:
		c.pipe(n.Pipe)
		if len(n.Pipe.Cmds) == 1 && len(n.Pipe.Cmds[0].Args) == 1 {
			if _, ok := n.Pipe.Cmds[0].Args[0].(*parse.NumberNode); ok {
				c.problem("range over a number (%s): a loop of any length; range over .Groups or .Metrics", n.Pipe)
			}
		}
		add(c.expand(name, n.List, depth+1))
		add(c.expand(name, n.ElseList, depth+1))
	case *parse.TemplateNode:
		c.pipe(n.Pipe)
		add(c.call(n.Name, depth+1))
	}
	return total
}

// call is the expanded size of the named template.
func (c *templateCheck) call(name string, depth int) int {
	if c.active[name] {
		c.problem("template %q calls itself (directly or through others): its expansion has no end", name)
		return MaxTemplateNodes + 1
	}
	if n, ok := c.size[name]; ok {
		return n
	}
	t := c.trees[name]
	if t == nil {
		return 1 // text/template reports the missing template when it runs
	}
	c.active[name] = true
	n := c.expand(name, t.Root, depth)
	c.active[name] = false
	c.size[name] = n
	return n
}

// pipe checks the commands of a pipeline: printf formats with a huge
// width or precision would allocate it before anything could stop them.
func (c *templateCheck) pipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		for i, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.PipeNode:
				c.pipe(a)
			case *parse.IdentifierNode:
				if a.Ident != "printf" || i+1 >= len(cmd.Args) {
					continue
				}
				if s, ok := cmd.Args[i+1].(*parse.StringNode); ok {
					if w := maxPrintfNumber(s.Text); w > MaxPrintfWidth {
						c.problem("printf width or precision %d in %q is over %d", w, s.Text, MaxPrintfWidth)
					}
				}
			}
		}
	}
}

// maxPrintfNumber is the largest width or precision in a printf format.
func maxPrintfNumber(format string) int {
	best := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		for i++; i < len(format) && strings.IndexByte("+-# 0.123456789", format[i]) >= 0; i++ {
			if format[i] < '1' || format[i] > '9' {
				continue
			}
			j := i
			for j < len(format) && format[j] >= '0' && format[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(format[i:j])
			if err != nil {
				n = int(^uint(0) >> 1)
			}
			best = max(best, n)
			i = j - 1
		}
	}
	return best
}

// errRenderCap stops a template that writes more than MaxRenderBytes.
var errRenderCap = fmt.Errorf("template output over %d bytes", MaxRenderBytes)

// cappedBuilder is a strings.Builder that refuses to grow past
// MaxRenderBytes.
type cappedBuilder struct{ strings.Builder }

func (b *cappedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > MaxRenderBytes {
		return 0, errRenderCap
	}
	return b.Builder.Write(p)
}
