package main

import (
	"encoding/binary"
	"strings"
	"testing"
)

// xwdSpec describes a tiny hand-built XWD dump.
type xwdSpec struct {
	bpp, bytesPerLine int
	msbFirst          bool
	ncolors           int
	rows              [][]uint32 // pixel values, one slice per row
}

// build writes spec the way xwd does: big-endian header, window name,
// colormap, then pixel rows in the image's own byte order.
func (s xwdSpec) build() []byte {
	const name = "xwdump\x00"
	w, h := len(s.rows[0]), len(s.rows)
	byteOrder := uint32(0)
	if s.msbFirst {
		byteOrder = 1
	}
	hdr := [25]uint32{
		0:  xwdHeaderLen + uint32(len(name)),
		1:  xwdVersion,
		2:  xwdZPixmap,
		3:  24,
		4:  uint32(w),
		5:  uint32(h),
		7:  byteOrder,
		11: uint32(s.bpp),
		12: uint32(s.bytesPerLine),
		13: 4, // TrueColor
		14: 0xff0000, 15: 0x00ff00, 16: 0x0000ff,
		19: uint32(s.ncolors),
	}
	var b []byte
	for _, v := range hdr {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	b = append(b, name...)
	b = append(b, make([]byte, s.ncolors*xwdColourSize)...)
	n := s.bpp / 8
	for _, row := range s.rows {
		line := make([]byte, s.bytesPerLine) // zero padding at the end
		for x, v := range row {
			for i := 0; i < n; i++ {
				shift := 8 * i
				if s.msbFirst {
					shift = 8 * (n - 1 - i)
				}
				line[x*n+i] = byte(v >> shift)
			}
		}
		b = append(b, line...)
	}
	return b
}

func TestParseXWD(t *testing.T) {
	const red, green, blue, black = 0xff0000, 0x00ff00, 0x0000ff, 0
	rows := [][]uint32{{red, green, blue}, {black, red, 0xff00ff00}} // last: padding byte set
	tests := []struct {
		name string
		spec xwdSpec
	}{
		{"32bpp LSB first", xwdSpec{bpp: 32, bytesPerLine: 12, rows: rows}},
		{"32bpp MSB first", xwdSpec{bpp: 32, bytesPerLine: 12, msbFirst: true, rows: rows}},
		{"32bpp padded lines and colormap", xwdSpec{bpp: 32, bytesPerLine: 16, ncolors: 256, rows: rows}},
		{"24bpp LSB first", xwdSpec{bpp: 24, bytesPerLine: 12, rows: rows}},
	}
	// The padding byte of 0xff00ff00 is masked away: it reads as green.
	want := [][]uint32{{red, green, blue}, {black, red, green}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := parseXWD(tt.spec.build())
			if err != nil {
				t.Fatal(err)
			}
			if im.Width != 3 || im.Height != 2 {
				t.Fatalf("size %dx%d, want 3x2", im.Width, im.Height)
			}
			for y, row := range want {
				for x, c := range row {
					if got := im.pixel(x, y); got != c {
						t.Errorf("pixel(%d,%d) = %#06x, want %#06x", x, y, got, c)
					}
				}
			}
		})
	}
}

func TestParseXWDErrors(t *testing.T) {
	good := xwdSpec{bpp: 32, bytesPerLine: 12, rows: [][]uint32{{1, 2, 3}}}.build()
	patch := func(field int, v uint32) []byte {
		b := append([]byte(nil), good...)
		binary.BigEndian.PutUint32(b[field*4:], v)
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"short header", good[:50], "shorter than the header"},
		{"truncated pixels", good[:len(good)-1], "need"},
		{"wrong version", patch(1, 6), "file version"},
		{"XY pixmap", patch(2, 1), "pixmap format"},
		{"odd bpp", patch(11, 4), "bits per pixel"},
		{"line too short", patch(12, 8), "bytes per line"},
		{"huge colormap", patch(19, 1<<30), "need"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseXWD(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestColourRule(t *testing.T) {
	const bg, fg, aa = 0x000000, 0xffffff, 0x808080
	tests := []struct {
		name           string
		rows           [][]uint32
		step           int
		blank, painted bool
	}{
		{"all black", [][]uint32{{bg, bg}, {bg, bg}}, 1, true, false},
		{"bare window: two colours", [][]uint32{{bg, fg}, {bg, fg}}, 1, false, false},
		{"text: three colours", [][]uint32{{bg, fg}, {aa, bg}}, 1, false, true},
		// With step 2 only (0,0) and (2,0) are sampled, so the text at x=1
		// and y=1 is not seen.
		{"text between samples", [][]uint32{{bg, fg, bg}, {aa, fg, aa}}, 2, true, false},
		{"text on a sample", [][]uint32{{bg, fg, fg}, {aa, fg, aa}, {aa, bg, bg}}, 2, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := len(tt.rows[0])
			im, err := parseXWD(xwdSpec{bpp: 32, bytesPerLine: 4 * w, rows: tt.rows}.build())
			if err != nil {
				t.Fatal(err)
			}
			if got := isBlank(im, tt.step); got != tt.blank {
				t.Errorf("isBlank = %v, want %v", got, tt.blank)
			}
			if got := isPainted(im, tt.step); got != tt.painted {
				t.Errorf("isPainted = %v, want %v", got, tt.painted)
			}
		})
	}
}

func TestParsePrograms(t *testing.T) {
	progs, err := parsePrograms([]string{"balie=/tmp/cs-balie", "-data", "/tmp/x=y.db", "--", "/tmp/a=b/hello"})
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) != 2 ||
		progs[0].name != "balie" || strings.Join(progs[0].argv, " ") != "/tmp/cs-balie -data /tmp/x=y.db" ||
		progs[1].name != "hello" || strings.Join(progs[1].argv, " ") != "/tmp/a=b/hello" {
		t.Errorf("got %+v", progs)
	}
	for _, bad := range [][]string{nil, {"a", "--"}, {"--", "a"}} {
		if _, err := parsePrograms(bad); err == nil {
			t.Errorf("parsePrograms(%q): no error", bad)
		}
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("odd median = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("even median = %v", m)
	}
}

func TestFillsScreen(t *testing.T) {
	const bg, fg = 0x000000, 0xf5f5f5
	tests := []struct {
		name string
		rows [][]uint32
		want bool
	}{
		{"small first frame in the corner", [][]uint32{{fg, bg}, {bg, bg}}, false},
		{"full screen", [][]uint32{{fg, fg}, {fg, fg}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := parseXWD(xwdSpec{bpp: 32, bytesPerLine: 8, rows: tt.rows}.build())
			if err != nil {
				t.Fatal(err)
			}
			if got := fillsScreen(im); got != tt.want {
				t.Errorf("fillsScreen = %v, want %v", got, tt.want)
			}
		})
	}
}
