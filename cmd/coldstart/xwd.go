package main

import (
	"encoding/binary"
	"fmt"
)

// XWD constants from X11/XWDFile.h.
const (
	xwdHeaderLen  = 25 * 4 // 25 CARD32 fields, always big-endian
	xwdVersion    = 7
	xwdZPixmap    = 2
	xwdMSBFirst   = 1  // byte_order value for most-significant byte first
	xwdColourSize = 12 // one XWDColor: pixel CARD32, r/g/b CARD16, flags, pad
)

// xwdImage is the part of an XWD dump the benchmark needs: the pixel rows and
// how to read one pixel out of them.
type xwdImage struct {
	Width, Height int
	BitsPerPixel  int
	BytesPerLine  int
	MSBFirst      bool   // byte order of multi-byte pixels
	ColourMask    uint32 // red|green|blue mask; 0 for palette visuals
	Data          []byte // Height rows of BytesPerLine bytes
}

// parseXWD decodes a ZPixmap XWD dump as written by `xwd -root`.
func parseXWD(b []byte) (*xwdImage, error) {
	if len(b) < xwdHeaderLen {
		return nil, fmt.Errorf("xwd: %d bytes, shorter than the header", len(b))
	}
	var h [25]uint32
	for i := range h {
		h[i] = binary.BigEndian.Uint32(b[i*4:])
	}
	headerSize, version, format := h[0], h[1], h[2]
	width, height, byteOrder := h[4], h[5], h[7]
	bpp, bytesPerLine := h[11], h[12]
	masks := h[14] | h[15] | h[16]
	ncolors := h[19]

	switch {
	case version != xwdVersion:
		return nil, fmt.Errorf("xwd: file version %d, want %d", version, xwdVersion)
	case format != xwdZPixmap:
		return nil, fmt.Errorf("xwd: pixmap format %d, want ZPixmap", format)
	case bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32:
		return nil, fmt.Errorf("xwd: %d bits per pixel not supported", bpp)
	case headerSize < xwdHeaderLen:
		return nil, fmt.Errorf("xwd: header size %d too small", headerSize)
	case width > 1<<15 || height > 1<<15:
		return nil, fmt.Errorf("xwd: implausible size %dx%d", width, height)
	case uint64(bytesPerLine) < uint64(width)*uint64(bpp/8):
		return nil, fmt.Errorf("xwd: %d bytes per line too few for %d pixels", bytesPerLine, width)
	}

	// Pixels follow the header (which includes the window name) and the
	// colormap. 64-bit sums so a corrupt header cannot overflow.
	start := uint64(headerSize) + uint64(ncolors)*xwdColourSize
	end := start + uint64(bytesPerLine)*uint64(height)
	if end > uint64(len(b)) {
		return nil, fmt.Errorf("xwd: need %d bytes, have %d", end, len(b))
	}
	return &xwdImage{
		Width:        int(width),
		Height:       int(height),
		BitsPerPixel: int(bpp),
		BytesPerLine: int(bytesPerLine),
		MSBFirst:     byteOrder == xwdMSBFirst,
		ColourMask:   masks,
		Data:         b[start:end],
	}, nil
}

// pixel returns the colour at (x, y), masked to its RGB bits so padding bits
// (the unused byte of a 32 bpp pixel) never count as a different colour.
func (im *xwdImage) pixel(x, y int) uint32 {
	n := im.BitsPerPixel / 8
	p := im.Data[y*im.BytesPerLine+x*n:][:n]
	var v uint32
	for i, c := range p {
		if im.MSBFirst {
			v = v<<8 | uint32(c)
		} else {
			v |= uint32(c) << (8 * i)
		}
	}
	if im.ColourMask != 0 {
		v &= im.ColourMask
	}
	return v
}

// distinctColours counts the colours among every step-th pixel in both
// directions, stopping early once limit is reached: callers only need to know
// "one colour" (blank) or "at least three" (painted).
func distinctColours(im *xwdImage, step, limit int) int {
	if step < 1 {
		step = 1
	}
	seen := make(map[uint32]bool, limit)
	for y := 0; y < im.Height; y += step {
		for x := 0; x < im.Width; x += step {
			seen[im.pixel(x, y)] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// paintedColours is the "text-like content" rule: a blank screen is one
// colour, a bare window or a solid fill adds one more, but rendered text
// brings its own colour plus anti-aliasing shades.
const paintedColours = 3

func isPainted(im *xwdImage, step int) bool {
	return distinctColours(im, step, paintedColours) >= paintedColours
}

// fillsScreen tells whether a full-screen window covers the far corner, which
// stays the blank screen's black until then. A window first maps at a small
// size before it goes full screen; that first frame is not the screen a
// visitor sees.
func fillsScreen(im *xwdImage) bool {
	return im.pixel(im.Width-1, im.Height-1) != 0
}

func isBlank(im *xwdImage, step int) bool {
	return distinctColours(im, step, 2) == 1
}
