package speech

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// wavStats is what the tests check of a WAV file: is there speech in it?
type wavStats struct {
	Rate, Channels int
	Duration       time.Duration
	RMS, Peak      float64 // of full scale
}

// readWAV reads a 16-bit PCM RIFF/WAVE file, as espeak-ng -w writes it. A
// file whose writer was killed keeps the sizes of its placeholder header:
// the data chunk is then read to the end of the file.
func readWAV(path string) (wavStats, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return wavStats{}, err
	}
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return wavStats{}, errors.New("not a RIFF/WAVE file")
	}
	var s wavStats
	bits := 0
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		body := b[p+8:]
		if size > len(body) || size < 0 {
			size = len(body)
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if len(body) < 16 {
				return s, errors.New("short fmt chunk")
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			s.Channels = int(binary.LittleEndian.Uint16(body[2:4]))
			s.Rate = int(binary.LittleEndian.Uint32(body[4:8]))
			bits = int(binary.LittleEndian.Uint16(body[14:16]))
			if (format != 1 && format != 0xFFFE) || bits != 16 || s.Channels < 1 || s.Rate < 1 {
				return s, fmt.Errorf("not 16-bit PCM: format %d, %d bits, %d channels, %d Hz", format, bits, s.Channels, s.Rate)
			}
		case "data":
			if bits == 0 {
				return s, errors.New("data before fmt")
			}
			n := len(body) / 2
			var sum float64
			for i := range n {
				v := float64(int16(binary.LittleEndian.Uint16(body[2*i:]))) / 32768
				sum += v * v
				s.Peak = max(s.Peak, math.Abs(v))
			}
			if n > 0 {
				s.RMS = math.Sqrt(sum / float64(n))
			}
			frames := n / s.Channels
			s.Duration = time.Duration(float64(frames) / float64(s.Rate) * float64(time.Second))
			return s, nil
		}
		p += 8 + size + size%2
	}
	return s, errors.New("no data chunk")
}

func writeWAV(t *testing.T, path string, rate int, samples []int16, dataSize uint32) {
	t.Helper()
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + 2*len(samples)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(1))
	le(uint32(rate))
	le(uint32(2 * rate))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("LIST")
	le(uint32(3)) // odd: padded to 4
	b.WriteString("abc\x00")
	b.WriteString("data")
	le(dataSize)
	le(samples)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestReadWAV(t *testing.T) {
	dir := t.TempDir()
	sine := make([]int16, 8000)
	for i := range sine {
		sine[i] = int16(16384 * math.Sin(2*math.Pi*440*float64(i)/8000))
	}
	for _, tc := range []struct {
		name     string
		samples  []int16
		dataSize uint32
		rms      float64
		peak     float64
		dur      time.Duration
	}{
		{"silence", make([]int16, 8000), 16000, 0, 0, time.Second},
		{"half-scale sine", sine, 16000, 0.5 / math.Sqrt2, 0.5, time.Second},
		{"killed writer's header", sine[:4000], 0x7ffff000, 0.5 / math.Sqrt2, 0.5, time.Second / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".wav")
			writeWAV(t, path, 8000, tc.samples, tc.dataSize)
			s, err := readWAV(path)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(s.RMS-tc.rms) > 0.002 || math.Abs(s.Peak-tc.peak) > 0.002 || s.Duration != tc.dur || s.Rate != 8000 {
				t.Errorf("got %+v, want RMS %.3f peak %.3f %v", s, tc.rms, tc.peak, tc.dur)
			}
		})
	}
	if _, err := readWAV(filepath.Join(dir, "missing.wav")); err == nil {
		t.Error("no error for a missing file")
	}
	_ = os.WriteFile(filepath.Join(dir, "text.wav"), []byte("hello, not a wav"), 0o600)
	if _, err := readWAV(filepath.Join(dir, "text.wav")); err == nil {
		t.Error("no error for a text file")
	}
}

// soxStats asks sox for the RMS and length of a WAV file, to check readWAV
// against an independent reader.
func soxStats(t *testing.T, path string) (rms float64, seconds float64, ok bool) {
	t.Helper()
	if _, err := exec.LookPath("sox"); err != nil {
		return 0, 0, false
	}
	out, err := exec.Command("sox", path, "-n", "stat").CombinedOutput()
	if err != nil {
		t.Fatalf("sox: %v\n%s", err, out)
	}
	num := func(label string) float64 {
		m := regexp.MustCompile(label + `:\s+([0-9.eE+-]+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("sox printed no %q:\n%s", label, out)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v
	}
	return num(`RMS\s+amplitude`), num(`Length \(seconds\)`), true
}
