package web

import (
	"context"
	"log/slog"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	langKey
	expiredKey
	requestIDKey
)

// ActorFrom returns the logged-in actor of a request, if any.
func ActorFrom(ctx context.Context) (civic.Actor, bool) {
	a, ok := ctx.Value(actorKey).(civic.Actor)
	return a, ok
}

// WithActor returns ctx carrying the actor (the session middleware does
// this; tests of single handlers may too).
func WithActor(ctx context.Context, a civic.Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// LangFrom returns the language of the request's pages.
func LangFrom(ctx context.Context) i18n.Lang {
	if l, ok := ctx.Value(langKey).(i18n.Lang); ok {
		return l
	}
	return i18n.ZH
}

// WithRequestID returns ctx carrying the request id (set by the request
// middleware in app/http.go).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFrom returns the id of the request ctx belongs to, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// LogHandler wraps h so that every record logged with a request's context
// (log.InfoContext(r.Context(), …)) carries request_id.
func LogHandler(h slog.Handler) slog.Handler { return ctxLogHandler{h} }

type ctxLogHandler struct{ slog.Handler }

func (h ctxLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h ctxLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return ctxLogHandler{h.Handler.WithAttrs(as)}
}

func (h ctxLogHandler) WithGroup(name string) slog.Handler {
	return ctxLogHandler{h.Handler.WithGroup(name)}
}
