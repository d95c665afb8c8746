package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// The reference page: the OpenAPI document walked into HTML on the server,
// with no script, font or style from anywhere else.

//go:embed reference.html
var referenceHTML string

type refDoc struct {
	Title, Version, Description string
	Tags                        []refTag
}

type refTag struct {
	Name, Description string
	Ops               []refOp
}

type refOp struct {
	Order                                  int
	ID, Method, Path, Summary, Description string
	Params                                 []refParam
	Body                                   []refField
	Example                                string
	Responses                              []refResponse
}

type refParam struct{ Name, In, Type, Description string }

type refField struct {
	Name, Type, Description string
	Required                bool
	Depth                   int
}

type refResponse struct {
	Status, Description string
	Fields              []refField
}

var (
	refOnce sync.Once
	refPage []byte
	refErr  error
)

func (s *Server) reference(w http.ResponseWriter, r *http.Request) {
	refOnce.Do(func() { refPage, refErr = renderReference(openapiDoc) })
	if refErr != nil {
		s.writeError(w, r, refErr)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Write(refPage)
}

// renderReference turns an OpenAPI document into the reference page.
func renderReference(doc []byte) ([]byte, error) {
	var d struct {
		Info struct{ Title, Version, Description string }
		Tags []struct{ Name, Description string }
		Path map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	out := refDoc{Title: d.Info.Title, Version: d.Info.Version, Description: d.Info.Description}
	byTag := map[string]*refTag{}
	for _, t := range d.Tags {
		out.Tags = append(out.Tags, refTag{Name: t.Name, Description: t.Description})
	}
	for i := range out.Tags {
		byTag[out.Tags[i].Name] = &out.Tags[i]
	}
	paths := make([]string, 0, len(d.Path))
	for p := range d.Path {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, m := range []string{"get", "post", "put", "patch", "delete"} {
			raw, ok := d.Path[p][m]
			if !ok {
				continue
			}
			op, tag, err := refOperation(p, m, raw)
			if err != nil {
				return nil, err
			}
			if t := byTag[tag]; t != nil {
				t.Ops = append(t.Ops, op)
			}
		}
	}
	// The route table's order: each capability's operations as its file
	// lists them, which reads as a day's work.
	for i := range out.Tags {
		sort.SliceStable(out.Tags[i].Ops, func(a, b int) bool { return out.Tags[i].Ops[a].Order < out.Tags[i].Ops[b].Order })
	}
	t, err := template.New("ref").Parse(referenceHTML)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, out)
	return b.Bytes(), err
}

type schema struct {
	Type        any          `json:"type"`
	Format      string       `json:"format"`
	Description string       `json:"description"`
	Enum        []any        `json:"enum"`
	Properties  orderedProps `json:"properties"`
	Required    []string     `json:"required"`
	Items       *schema      `json:"items"`
}

// orderedProps keeps the properties in the document's order.
type orderedProps struct {
	names []string
	m     map[string]*schema
}

func (o *orderedProps) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &o.m); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		o.names = append(o.names, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

func refOperation(path, method string, raw json.RawMessage) (op refOp, tag string, err error) {
	var o struct {
		OperationID, Summary, Description string
		Order                             int `json:"x-order"`
		Tags                              []string
		Parameters                        []struct {
			Ref, Name, In, Description string
			Schema                     *schema
		}
		RequestBody struct {
			Content map[string]struct {
				Schema  *schema
				Example any
			}
		}
		Responses map[string]struct {
			Ref         string `json:"$ref"`
			Description string
			Content     map[string]struct{ Schema *schema }
		}
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return op, "", err
	}
	op = refOp{Order: o.Order, ID: o.OperationID, Method: strings.ToUpper(method), Path: path, Summary: o.Summary, Description: o.Description}
	for _, p := range o.Parameters {
		if p.Name == "" {
			continue // the shared community, key and cursor parameters, described once at the top
		}
		op.Params = append(op.Params, refParam{p.Name, p.In, typeName(p.Schema), p.Description})
	}
	if c, ok := o.RequestBody.Content["application/json"]; ok {
		op.Body = fields(c.Schema, 0)
		if c.Example != nil {
			ex, _ := json.MarshalIndent(c.Example, "", "  ")
			op.Example = string(ex)
		}
	}
	codes := make([]string, 0, len(o.Responses))
	for code := range o.Responses {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		resp := o.Responses[code]
		if resp.Ref != "" {
			continue // the shared error answers, described once at the top
		}
		rr := refResponse{Status: code, Description: resp.Description}
		if c, ok := resp.Content["application/json"]; ok {
			rr.Fields = fields(c.Schema, 0)
		}
		op.Responses = append(op.Responses, rr)
	}
	if len(o.Tags) > 0 {
		tag = o.Tags[0]
	}
	return op, tag, nil
}

// fields flattens an object schema into rows, nested objects indented.
func fields(s *schema, depth int) []refField {
	if s == nil || depth > 4 {
		return nil
	}
	var out []refField
	for _, name := range s.Properties.names {
		p := s.Properties.m[name]
		out = append(out, refField{Name: name, Type: typeName(p), Description: p.Description, Depth: depth,
			Required: contains(s.Required, name)})
		inner := p
		if p.Items != nil {
			inner = p.Items
		}
		out = append(out, fields(inner, depth+1)...)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func typeName(s *schema) string {
	if s == nil {
		return ""
	}
	t, _ := s.Type.(string)
	switch {
	case t == "array" && s.Items != nil:
		return "array of " + typeName(s.Items)
	case s.Format != "":
		t += " (" + s.Format + ")"
	case len(s.Enum) > 0:
		var vs []string
		for _, e := range s.Enum {
			if v, _ := e.(string); v != "" {
				vs = append(vs, v)
			}
		}
		t += ": " + strings.Join(vs, " | ")
	}
	return t
}
