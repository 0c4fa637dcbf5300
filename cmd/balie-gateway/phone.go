package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/digitalebalie/balie/app/phonepage"
	"github.com/digitalebalie/balie/app/store"
	"github.com/digitalebalie/balie/i18n"
)

// phonePage builds the page the QR codes open.
func phonePage(st *store.Store, msgs *i18n.Catalog, cfg config, log *slog.Logger) (http.Handler, error) {
	key, err := formKey(cfg.Data)
	if err != nil {
		return nil, err
	}
	return phonepage.New(phonepage.Config{
		Appointments: st,
		Catalog:      msgs,
		HelpPhone:    cfg.city.HelpLine.Phone,
		CSRFKey:      key,
		Log:          log,
	}), nil
}

// formKey is the secret that signs the phone page's cancel form. It is kept
// in the data directory, so a form opened before a restart still works.
func formKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "form.key")
	key, err := os.ReadFile(path)
	if err == nil && len(key) == 32 {
		return key, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return key, nil
}
