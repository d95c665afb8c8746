package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/invopop/jsonschema"
)

// openapiDoc is the committed document, generated from the route table by
// Document (go test ./internal/api -run TestOpenAPIDocument -update); the
// test fails when the two differ, so the document cannot fall behind.
//
//go:embed openapi.json
var openapiDoc []byte

var tags = []map[string]string{
	{"name": "ledger", "description": "Points: awards, redemptions at the counter, reversals, accounts, histories and the check that recomputes them."},
	{"name": "earning", "description": "How points are earned: bulk awards, activities with sign-ups and attendance, hours claims and their approval queue, suggestions."},
	{"name": "catalogue", "description": "The community's catalogue of categories and indicators, with each indicator's rule."},
	{"name": "registry", "description": "Residents, households, estates, colour groups and visits, with the privacy of the registry pages: every read is audited, and a token never sees the red group."},
	{"name": "station", "description": "The integrity station: goods, stock, donors and donations, purchases, online orders and their pickup."},
	{"name": "meta", "description": "This document and its reference page."},
}

// Document builds the OpenAPI 3.1 document of every route.
func Document() ([]byte, error) {
	paths := map[string]map[string]any{
		"/api/v1/openapi.json": {"get": metaOp("openapi", "This document", "application/json", map[string]any{"type": "object"})},
		"/api/v1/docs":         {"get": metaOp("reference", "This document as a readable page", "text/html", map[string]any{"type": "string"})},
	}
	for i, rt := range routes() {
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = operation(rt, i)
	}
	d := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "civicpoints API",
			"version": "1.1.0",
			"description": "The community credit + volunteer points API: what a worker or clerk does on the pages, a district system does here, " +
				"through the same commands. Every request that changes state carries an Idempotency-Key: the same key with the same body " +
				"answers the first answer again (with Idempotent-Replayed: true); with a different body, 409 idempotency_conflict. " +
				"Only successful answers are stored: a failed request changed nothing, and resending it with the same key runs it again. " +
				"Lists are keyset-paginated (limit, cursor, next_cursor). Error messages follow Accept-Language (zh-CN by default, en). " +
				"A token may be narrowed to scopes, may expire, and is rate limited (429 with Retry-After). See docs/api.md.",
			// The project has not chosen a licence yet; until it does, the
			// document says so rather than claim one.
			"license": map[string]any{"name": "All rights reserved (no licence chosen yet)", "identifier": "LicenseRef-civicpoints-all-rights-reserved"},
		},
		"servers":  []any{map[string]any{"url": "/"}},
		"security": []any{map[string]any{"bearer": []any{}}},
		"tags":     tags,
		"paths":    paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "civicpoints token create --community <slug> --role <role> --name <label> [--scope awards:write,registry:read] [--expires 90d] [--rate 600]"}},
			"parameters": map[string]any{
				"Community": map[string]any{"name": "c", "in": "path", "required": true, "description": "community slug, such as chunjiang",
					"schema": map[string]any{"type": "string"}},
				"IdempotencyKey": map[string]any{"name": "Idempotency-Key", "in": "header", "required": true,
					"description": "1–128 printable ASCII characters (space to ~), not blank and without a space at either end; the web forms follow the same rule.",
					"schema":      map[string]any{"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-~]([ -~]*[!-~])?$"}},
				"Cursor": map[string]any{"name": "cursor", "in": "query", "description": "next_cursor of the previous page; left out for the first", "schema": map[string]any{"type": "string"}},
			},
			"headers": map[string]any{
				"IdempotentReplayed": map[string]any{"description": "true when this is the stored answer of an earlier request with the same key",
					"schema": map[string]any{"type": "string", "enum": []string{"true"}}},
				"RetryAfter": map[string]any{"description": "seconds until the token may ask again", "schema": map[string]any{"type": "integer", "minimum": 1}},
			},
			"schemas": map[string]any{"Error": errorSchema()},
			"responses": map[string]any{
				"Error": map[string]any{"description": "The request was refused; nothing changed.", "content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"$ref": "#/components/schemas/Error"}, "example": errorExample}}},
				"RateLimited": map[string]any{"description": "The token has made too many requests; retry after Retry-After seconds.",
					"headers": map[string]any{"Retry-After": map[string]any{"$ref": "#/components/headers/RetryAfter"}},
					"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
			},
		},
	}
	out, err := json.MarshalIndent(d, "", "  ")
	return append(out, '\n'), err
}

var errorExample = map[string]any{"error": map[string]string{"code": "insufficient_points", "message": "积分不足：需要 30 分，余额 12 分"}}

func errorSchema() map[string]any {
	codes := []string{"invalid", "unauthenticated", "forbidden", "not_found", "conflict", "insufficient_points", "out_of_stock",
		"idempotency_conflict", "too_many_requests", "unavailable", "internal"}
	return map[string]any{"type": "object", "additionalProperties": false, "required": []string{"error"},
		"properties": map[string]any{"error": map[string]any{"type": "object", "additionalProperties": false,
			"required": []string{"code", "message"}, "properties": map[string]any{
				"code":    map[string]any{"type": "string", "enum": codes},
				"message": map[string]any{"type": "string", "description": "in the language of Accept-Language"}}}}}
}

func metaOp(id, summary, ctype string, schema any) map[string]any {
	return map[string]any{"summary": summary, "operationId": id, "tags": []string{"meta"}, "security": []any{},
		"responses": map[string]any{
			"200": map[string]any{"description": "OK", "content": map[string]any{ctype: map[string]any{"schema": schema}}},
			"404": map[string]any{"$ref": "#/components/responses/Error"},
		}}
}

func operation(rt route, order int) map[string]any {
	params := []any{map[string]any{"$ref": "#/components/parameters/Community"}}
	for _, name := range pathParams(rt.path) {
		params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range rt.doc.query {
		s := map[string]any{"type": q.typ}
		if q.typ == "date-time" {
			s = map[string]any{"type": "string", "format": "date-time"}
		}
		params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.desc, "schema": s})
	}
	if rt.doc.list > 0 {
		params = append(params, map[string]any{"name": "limit", "in": "query", "description": fmt.Sprintf("items on one page, 1 to %d", rt.doc.list),
			"schema": map[string]any{"type": "integer", "minimum": 1, "maximum": rt.doc.list, "default": min(50, rt.doc.list)}},
			map[string]any{"$ref": "#/components/parameters/Cursor"})
	}
	command := rt.method != "GET"
	if command {
		params = append(params, map[string]any{"$ref": "#/components/parameters/IdempotencyKey"})
	}
	status := rt.doc.status
	if status == 0 {
		status = 200
	}
	ok := map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(rt.doc.answer)}}}
	if command {
		ok["description"] = "Done (or the stored answer of the first request with this key)"
		ok["headers"] = map[string]any{"Idempotent-Replayed": map[string]any{"$ref": "#/components/headers/IdempotentReplayed"}}
	}
	errRef := map[string]any{"$ref": "#/components/responses/Error"}
	responses := map[string]any{fmt.Sprint(status): ok, "400": errRef, "401": errRef, "403": errRef, "404": errRef,
		"429": map[string]any{"$ref": "#/components/responses/RateLimited"}}
	if command {
		responses["409"] = errRef
	}
	desc := strings.TrimSpace(rt.doc.desc + "\n\nRoles: " + roleList(rt) + ". Scope: " + rt.scope + ".")
	op := map[string]any{"summary": rt.doc.summary, "description": desc, "operationId": operationID(rt), "tags": []string{rt.doc.tag},
		"parameters": params, "responses": responses, "x-roles": rt.roles, "x-scope": rt.scope, "x-order": order}
	if rt.doc.body != nil {
		media := map[string]any{"schema": schemaOf(rt.doc.body)}
		if rt.doc.example != nil {
			media["example"] = rt.doc.example
		}
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": media}}
	}
	return op
}

func roleList(rt route) string {
	names := make([]string, 0, len(rt.roles))
	for _, r := range rt.roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// pathParams names a path's parameters after the community.
func pathParams(path string) []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		if m[1] != "c" {
			out = append(out, m[1])
		}
	}
	return out
}

// operationID is the method and the path after the community, such as
// postGoodsByIdWriteOffs.
func operationID(rt route) string {
	_, rest, _ := strings.Cut(rt.path, "{c}/")
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.method))
	for _, seg := range strings.Split(rest, "/") {
		if strings.HasPrefix(seg, "{") {
			b.WriteString("By")
			seg = strings.Trim(seg, "{}")
		}
		for _, w := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

var reflector = &jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true}

// schemaOf is the JSON Schema of an API type, from its fields and their
// json and jsonschema tags.
func schemaOf(v any) *jsonschema.Schema {
	s := reflector.ReflectFromType(reflect.TypeOf(v))
	s.Version, s.ID = "", ""
	return s
}
