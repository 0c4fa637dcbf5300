// Package kiosk draws the balie screens with Fyne. Screens are thin: each one
// reads from and writes to the session model and asks the Backend for data
// through a Runner, so slow calls never block the UI thread. It may import
// Fyne, the domain, the session model, i18n and qr; never net/http.
package kiosk
