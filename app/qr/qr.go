// Package qr makes the QR codes the kiosk hands to a visitor's phone, and the
// URLs inside them. A QR code carries only an opaque token, never a name, an
// e-mail address or a phone number. It imports no Fyne.
package qr

import (
	"fmt"
	"image"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// MinPixels is the smallest side a kiosk QR code is drawn at: big enough to
// scan from about 50 cm with a cheap phone camera.
const MinPixels = 320

// PhoneURL returns the phone page of an appointment: base + "/a/" + token.
func PhoneURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/a/" + url.PathEscape(token)
}

// Image encodes content as a black-on-white QR code of size×size pixels,
// with the standard four-module quiet zone around it.
func Image(content string, size int) (image.Image, error) {
	if size < MinPixels {
		size = MinPixels
	}
	code, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("encode qr: %w", err)
	}
	return code.Image(size), nil
}
