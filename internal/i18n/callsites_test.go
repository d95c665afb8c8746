package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
)

// A translation filled with the wrong number of arguments prints Go's
// "%!(EXTRA …)" or "%!s(MISSING)" to the user. These tests read every call
// site that names a catalogue key with a literal (civic.Errorf, i18n.T, the
// pages' s.T and templates' t) and check that the number of arguments is the
// number the English format and both translations take, so such a mismatch
// cannot be committed.

// forwarder is a function that passes its own key (and English format)
// parameters on to civic.Errorf or civic.Error; its callers are checked in
// its place. Index -1: the function has no such parameter (no args).
type forwarder struct {
	dir, name          string // package directory under internal, function name
	key, format, first int    // parameter positions: key, English format, first fmt arg
}

var forwarders = []forwarder{
	{dir: "earning", name: "text", key: 2, format: 3, first: -1},
	// An import job's stored error, given back with the key it was made with.
	{dir: "registry", name: "loadError", key: -1, format: -1, first: -1},
}

// callSite is one use of a catalogue key with a literal key.
type callSite struct {
	pos    string
	key    string
	format string // English format given at the call; "" when none
	hasFmt bool
	args   int  // fmt arguments passed
	spread bool // args... : the count is unknown
}

// goSites parses every non-test Go file under internal and returns its
// literal-key call sites, and the problems found (non-literal keys).
func goSites(t *testing.T) (sites []callSite, problems []string) {
	t.Helper()
	fset := token.NewFileSet()
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		s, p := fileSites(fset, f, dir)
		sites, problems = append(sites, s...), append(problems, p...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sites, problems
}

func fileSites(fset *token.FileSet, f *ast.File, dir string) (sites []callSite, problems []string) {
	for _, decl := range f.Decls {
		fn, _ := decl.(*ast.FuncDecl)
		var fwd *forwarder
		if fn != nil {
			for i := range forwarders {
				if forwarders[i].dir == dir && forwarders[i].name == fn.Name.Name {
					fwd = &forwarders[i]
				}
			}
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			pos := func() string { return fset.Position(n.Pos()).String() }
			switch n := n.(type) {
			case *ast.CallExpr:
				s, ok, problem := siteOf(n, dir, fwd != nil)
				if problem != "" {
					problems = append(problems, pos()+": "+problem)
				}
				if ok {
					s.pos = pos()
					sites = append(sites, s)
				}
			case *ast.CompositeLit:
				if !isSel(n.Type, "civic", "Error") {
					return true
				}
				s := callSite{pos: pos()}
				keyed := false
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch id, _ := kv.Key.(*ast.Ident); {
					case id == nil:
					case id.Name == "Key":
						s.key, keyed = literal(kv.Value)
						if !keyed && fwd == nil {
							problems = append(problems, s.pos+": civic.Error with a key that is not a literal")
						}
					case id.Name == "Args":
						s.spread = true // a slice: its length is not checked here
					}
				}
				if keyed && !s.spread {
					sites = append(sites, s)
				}
			}
			return true
		})
	}
	return sites, problems
}

// siteOf recognises civic.Errorf(code, key, format, args...), i18n.T(lang,
// key, args...), the pages' s.T(r, key, args...) and forwarders' calls.
func siteOf(c *ast.CallExpr, dir string, inForwarder bool) (s callSite, ok bool, problem string) {
	keyAt, fmtAt, argsAt := -1, -1, -1
	switch {
	case isSel(c.Fun, "civic", "Errorf"):
		keyAt, fmtAt, argsAt = 1, 2, 3
	case isSel(c.Fun, "i18n", "T"):
		keyAt, argsAt = 1, 2
	case isSel(c.Fun, "civic", "Msg"):
		keyAt, argsAt = 0, 1
	case dir == "web" && isSel(c.Fun, "s", "T"):
		keyAt, argsAt = 1, 2
	default:
		id, _ := c.Fun.(*ast.Ident)
		for _, f := range forwarders {
			if id != nil && f.dir == dir && f.name == id.Name {
				keyAt, fmtAt, argsAt = f.key, f.format, f.first
			}
		}
	}
	if keyAt < 0 || len(c.Args) <= keyAt {
		return s, false, ""
	}
	var keyOK bool
	s.key, keyOK = literal(c.Args[keyAt])
	if fmtAt >= 0 && fmtAt < len(c.Args) {
		s.format, s.hasFmt = literal(c.Args[fmtAt])
		if !s.hasFmt && !inForwarder {
			return s, false, "civic.Errorf with an English format that is not a literal"
		}
	}
	if !keyOK {
		if isSel(c.Fun, "civic", "Errorf") && !inForwarder {
			return s, false, "civic.Errorf with a key that is not a literal: write one call per key, or list the function in forwarders"
		}
		return s, false, ""
	}
	if argsAt >= 0 && len(c.Args) > argsAt {
		s.args = len(c.Args) - argsAt
	}
	s.spread = c.Ellipsis.IsValid()
	return s, true, ""
}

func isSel(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// fmtArgs returns the verbs of a fmt format in argument order ('*' for a
// width or precision taken from an argument); explicit indexes [n] place a
// verb at n.
func fmtArgs(format string) []rune {
	var out []rune
	at := 0
	put := func(v rune) {
		for len(out) <= at {
			out = append(out, 0)
		}
		out[at] = v
		at++
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		index := func() {
			if i < len(format) && format[i] == '[' {
				j := strings.IndexByte(format[i:], ']')
				if n, err := strconv.Atoi(format[i+1 : i+j]); j > 0 && err == nil {
					at = n - 1
				}
				i += j + 1
			}
		}
		num := func() {
			index()
			if i < len(format) && format[i] == '*' {
				put('*')
				i++
			}
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
		}
		num()
		if i < len(format) && format[i] == '.' {
			i++
			num()
		}
		index()
		if i < len(format) && format[i] != '%' {
			put(rune(format[i]))
		}
	}
	return out
}

// compatible: the two verbs print the same argument sensibly.
func compatible(a, b rune) bool {
	strs := "sqv"
	return a == b || a == 'v' || b == 'v' || (strings.ContainsRune(strs, a) && strings.ContainsRune(strs, b))
}

// checkSite returns what is wrong with one call site, or "".
func checkSite(s callSite) string {
	v, ok := entries[s.key]
	if !ok {
		return fmt.Sprintf("%s: key %q is not in the catalogue", s.pos, s.key)
	}
	if s.spread {
		return ""
	}
	for i, lang := range []string{"zh-CN", "en"} {
		if got := len(fmtArgs(v[i])); got != s.args {
			return fmt.Sprintf("%s: %q is given %d argument(s), but its %s text %q takes %d", s.pos, s.key, s.args, lang, v[i], got)
		}
	}
	if s.hasFmt {
		en := fmtArgs(s.format)
		if len(en) != s.args {
			return fmt.Sprintf("%s: the English format %q takes %d argument(s), given %d", s.pos, s.format, len(en), s.args)
		}
		for i, lang := range []string{"zh-CN", "en"} {
			for j, verb := range fmtArgs(v[i]) {
				if !compatible(verb, en[j]) {
					return fmt.Sprintf("%s: %q argument %d is %%%c in the English format but %%%c in its %s text", s.pos, s.key, j+1, en[j], verb, lang)
				}
			}
		}
	}
	return ""
}

func TestCallSitesFitTheirMessages(t *testing.T) {
	sites, problems := goSites(t)
	if len(sites) < 300 {
		t.Fatalf("found only %d call sites: is the parser looking in the right place?", len(sites))
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, s := range sites {
		if msg := checkSite(s); msg != "" {
			t.Error(msg)
		}
	}
}

// templateSites returns every {{t "key" args…}} in the page templates; a
// value piped into t is one more argument.
func templateSites(t *testing.T) []callSite {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "web", "templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found (%v)", err)
	}
	var sites []callSite
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tree := parse.New(filepath.Base(path))
		tree.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := tree.Parse(string(src), "", "", trees); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, tr := range trees {
			walkTemplate(tr.Root, func(p *parse.PipeNode) {
				for i, c := range p.Cmds {
					id, ok := c.Args[0].(*parse.IdentifierNode)
					if !ok || id.Ident != "t" || len(c.Args) < 2 {
						continue
					}
					key, ok := c.Args[1].(*parse.StringNode)
					if !ok {
						continue
					}
					n := len(c.Args) - 2
					if i > 0 {
						n++ // the previous command's value
					}
					line, _ := tr.ErrorContext(c)
					sites = append(sites, callSite{pos: line, key: key.Text, args: n})
				}
			})
		}
	}
	return sites
}

func walkTemplate(n parse.Node, visit func(*parse.PipeNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplate(c, visit)
		}
	case *parse.ActionNode:
		walkTemplate(n.Pipe, visit)
	case *parse.TemplateNode:
		walkTemplate(n.Pipe, visit)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		visit(n)
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				walkTemplate(a, visit)
			}
		}
	}
}

func walkBranch(b *parse.BranchNode, visit func(*parse.PipeNode)) {
	walkTemplate(b.Pipe, visit)
	walkTemplate(b.List, visit)
	walkTemplate(b.ElseList, visit)
}

func TestTemplateCallsFitTheirMessages(t *testing.T) {
	sites := templateSites(t)
	if len(sites) < 100 {
		t.Fatalf("found only %d template call sites", len(sites))
	}
	for _, s := range sites {
		if msg := checkSite(s); msg != "" {
			t.Error(msg)
		}
	}
}

// The checker itself: it must see what it is meant to catch.
func TestFmtArgs(t *testing.T) {
	tests := []struct {
		format, want string
	}{
		{"no verbs", ""},
		{"100%% sure", ""},
		{"%s has %d points", "sd"},
		{"%-8.2f|%*d", "f*d"},
		{"%[2]s then %[1]q", "qs"},
		{"%q", "q"},
	}
	for _, tt := range tests {
		if got := string(fmtArgs(tt.format)); got != tt.want {
			t.Errorf("fmtArgs(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
	src := `package x
func f() error {
	_ = civic.Errorf(civic.Invalid, "k", "a %s", 1)
	_ = i18n.T(lang, "k", 1, 2)
	_ = civic.Errorf(civic.Invalid, key, "x")
	_ = civic.Msg("k", "a", 3)
	return &civic.Error{Key: "k"}
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	sites, problems := fileSites(fset, f, "x")
	if len(sites) != 4 || len(problems) != 1 {
		t.Fatalf("sites %+v, problems %q: want 4 sites and 1 problem", sites, problems)
	}
	if sites[0].args != 1 || !sites[0].hasFmt || sites[1].args != 2 || sites[2].args != 2 || sites[3].args != 0 {
		t.Errorf("sites %+v", sites)
	}
}
