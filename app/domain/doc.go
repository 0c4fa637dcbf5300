// Package domain holds what the Digitale Balie is about: the city's services
// (themes), time slots, appointments, contact validation, and the Backend
// interface every booking system implements, with its typed errors.
//
// It imports neither Fyne nor net/http, so it is tested on its own and shared
// by the kiosk, the embedded store and the gateway.
package domain
