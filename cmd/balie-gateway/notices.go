package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/notify"
	"github.com/digitalebalie/balie/app/sms"
	"github.com/digitalebalie/balie/app/store"
)

// noticeWorker builds the outbox worker from the configuration: the mail
// server, the SMS provider, and the words of the messages.
func noticeWorker(cfg config, st *store.Store, composer notify.Composer, log *slog.Logger) (*notify.Worker, error) {
	w := &notify.Worker{Outbox: st, Composer: composer, Log: log, Backoff: notify.Backoff(cfg.RetryAfter.Duration)}
	if cfg.SMTP.Host != "" {
		password := cfg.SMTP.Password
		if cfg.SMTP.PasswordFile != "" {
			b, err := os.ReadFile(cfg.SMTP.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("smtp password_file: %w", err)
			}
			password = strings.TrimSpace(string(b))
		}
		port := cfg.SMTP.Port
		if port == 0 {
			port = 587
		}
		sender, err := mail.NewSender(mail.Config{
			Host: cfg.SMTP.Host, Port: port, TLS: cfg.SMTP.TLS,
			Username: cfg.SMTP.Username, Password: password, From: cfg.SMTP.From,
		})
		if err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
		w.Mail = sender
	} else {
		log.Warn("no [smtp] host: confirmation and cancellation e-mails will not go out and show as failed in /v1/staff/notices")
	}
	switch cfg.SMS.Provider {
	case "http":
		p, err := sms.NewHTTPProvider(sms.HTTPConfig{
			URL: cfg.SMS.URL, Method: cfg.SMS.Method, Headers: cfg.SMS.Headers,
			ContentType: cfg.SMS.ContentType, Body: cfg.SMS.Body,
		})
		if err != nil {
			return nil, fmt.Errorf("sms: %w", err)
		}
		w.SMS = p
	case "file":
		p, err := sms.NewFileOutbox(cfg.SMS.Dir)
		if err != nil {
			return nil, fmt.Errorf("sms: %w", err)
		}
		w.SMS = p
	default:
		log.Warn("no [sms] provider: SMS reminders will not go out and show as failed in /v1/staff/notices")
	}
	return w, nil
}

// runWorker sends due messages until ctx ends, and says when it stopped.
func runWorker(ctx context.Context, w *notify.Worker, every time.Duration) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, every)
	}()
	return done
}
