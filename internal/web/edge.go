package web

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"slices"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/edge"
)

// formMemory is how much of a multipart form is held in memory; the rest of
// an upload waits in a temporary file.
const formMemory = 1 << 20

// uploadSlack is room in an upload's body for the multipart framing and
// the form's other fields.
const uploadSlack = 64 << 10

// checkRequest refuses, before the session is even looked up, a request
// whose path, query or input headers carry text the database cannot store
// (see internal/edge). The answer is the error page, in the language of the
// browser's cookie.
func (s *Server) checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := edge.Request(r); err != nil {
			securityHeaders(w)
			s.fail(w, r.WithContext(context.WithValue(r.Context(), langKey, s.lang(r, ""))), err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readForm bounds the request's body (an upload page's by its Upload size,
// every other page's by edge.MaxBody) and, for an upload, gives its reading
// and answering the longer upload deadline. Then it reads a posted form,
// urlencoded or multipart, once, and checks every field name, value and file
// name, so no handler sees a NUL, invalid UTF-8 or an oversized field.
// It runs after the role guard: no anonymous client gets the long deadline
// or has its upload read.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, p Page) error {
	limit, shownMB := int64(edge.MaxBody), int64(edge.MaxBody>>20)
	if p.Upload > 0 {
		limit, shownMB = p.Upload+uploadSlack, p.Upload>>20
		s.uploadDeadlines(w, r)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if r.Method != http.MethodPost {
		return nil
	}
	var err error
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		err = r.ParseMultipartForm(formMemory)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if tooLarge := edge.BodyError(err, shownMB); tooLarge != err {
			return tooLarge
		}
		return civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	capOf := func(name string) int {
		if slices.Contains(p.Long, name) {
			return edge.MaxLong
		}
		return edge.MaxField
	}
	if err := edge.Values(r.Form, capOf); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		for name, files := range r.MultipartForm.File {
			for _, f := range files {
				if err := edge.Values(map[string][]string{name: {f.Filename}}, nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// uploadDeadlines lets an upload take --upload-timeout to arrive and be
// answered, instead of the server's --read-timeout and --write-timeout.
func (s *Server) uploadDeadlines(w http.ResponseWriter, r *http.Request) {
	d := s.Cfg.UploadTimeout
	if d <= 0 {
		d = config.DefaultUploadTimeout
	}
	rc := http.NewResponseController(w)
	at := time.Now().Add(d)
	for _, err := range []error{rc.SetReadDeadline(at), rc.SetWriteDeadline(at)} {
		if err != nil && !errors.Is(err, http.ErrNotSupported) {
			s.Log.WarnContext(r.Context(), "upload deadline", "err", err)
		}
	}
}

// securityHeaders are sent with every page.
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
}
