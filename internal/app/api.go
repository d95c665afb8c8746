package app

import "net/http"

// mountAPI adds the JSON API under /api/v1 (internal/api).
func (a *App) mountAPI(mux *http.ServeMux) {}
