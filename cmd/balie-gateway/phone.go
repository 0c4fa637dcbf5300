package main

import (
	"log/slog"
	"net/http"

	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

// phonePage builds the page the QR codes open.
func phonePage(st *store.Store, msgs *i18n.Catalog, cfg config, log *slog.Logger) http.Handler {
	return nil // wired in once app/phonepage lands
}
