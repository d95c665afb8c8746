package app

import "net/http"

// Handler is the whole HTTP surface: pages, API, health and metrics.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	a.mountAPI(mux)
	return mux
}
