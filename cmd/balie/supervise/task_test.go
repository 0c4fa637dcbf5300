package supervise_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const taskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task"

// task is the part of Task Scheduler's task schema balie-task.xml uses.
type task struct {
	XMLName  xml.Name
	Version  string `xml:"version,attr"`
	Triggers struct {
		// Every trigger, of whatever kind.
		All []struct {
			XMLName xml.Name
			Enabled string `xml:"Enabled"`
			UserID  string `xml:"UserId"`
			Delay   string `xml:"Delay"`
		} `xml:",any"`
	} `xml:"Triggers"`
	Principals []struct {
		ID        string `xml:"id,attr"`
		UserID    string `xml:"UserId"`
		GroupID   string `xml:"GroupId"`
		LogonType string `xml:"LogonType"`
		RunLevel  string `xml:"RunLevel"`
	} `xml:"Principals>Principal"`
	Settings struct {
		MultipleInstancesPolicy    string `xml:"MultipleInstancesPolicy"`
		DisallowStartIfOnBatteries string `xml:"DisallowStartIfOnBatteries"`
		StopIfGoingOnBatteries     string `xml:"StopIfGoingOnBatteries"`
		StopOnIdleEnd              string `xml:"IdleSettings>StopOnIdleEnd"`
		RunOnlyIfIdle              string `xml:"RunOnlyIfIdle"`
		Enabled                    string `xml:"Enabled"`
		ExecutionTimeLimit         string `xml:"ExecutionTimeLimit"`
		Priority                   string `xml:"Priority"`
		RestartOnFailure           *struct {
			Interval string `xml:"Interval"`
			Count    string `xml:"Count"`
		} `xml:"RestartOnFailure"`
	} `xml:"Settings"`
	Actions struct {
		Context string `xml:"Context,attr"`
		// Every action, of whatever kind.
		All []struct {
			XMLName          xml.Name
			Command          string `xml:"Command"`
			Arguments        string `xml:"Arguments"`
			WorkingDirectory string `xml:"WorkingDirectory"`
		} `xml:",any"`
	} `xml:"Actions"`
}

// The task starts the wrapper at the kiosk user's logon, in their desktop,
// with no time limit, and keeps within what Task Scheduler accepts.
func TestTaskXML(t *testing.T) {
	src, err := os.ReadFile("balie-task.xml")
	if err != nil {
		t.Fatal(err)
	}
	// ASCII only: the file says UTF-8, and whatever schtasks takes it for
	// (UTF-8 or the ANSI code page) reads it the same.
	for i, b := range src {
		if b >= 0x80 {
			t.Fatalf("balie-task.xml: byte %d is not ASCII (%#x)", i, b)
		}
	}
	if !bytes.HasPrefix(src, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Error(`balie-task.xml does not start with <?xml version="1.0" encoding="UTF-8"?>`)
	}
	var x task
	dec := xml.NewDecoder(bytes.NewReader(src))
	dec.Strict = true
	if err := dec.Decode(&x); err != nil {
		t.Fatalf("balie-task.xml: %v", err)
	}
	if x.XMLName.Space != taskNamespace || x.XMLName.Local != "Task" {
		t.Errorf("root element %v, want Task in %s", x.XMLName, taskNamespace)
	}
	if v, err := strconv.ParseFloat(x.Version, 64); err != nil || v < 1.2 {
		t.Errorf("version=%q, want 1.2 or later (Task Scheduler 2.0)", x.Version)
	}

	// At the kiosk user's logon, and at nothing else: not at boot, when
	// there is no desktop.
	var triggers []string
	for _, tr := range x.Triggers.All {
		triggers = append(triggers, tr.XMLName.Local)
	}
	if len(triggers) != 1 || triggers[0] != "LogonTrigger" {
		t.Fatalf("triggers %q, want one LogonTrigger", triggers)
	}
	logon := x.Triggers.All[0]
	if logon.Enabled != "true" || logon.UserID == "" {
		t.Errorf("LogonTrigger: Enabled %q, UserId %q: want enabled, for the kiosk user only", logon.Enabled, logon.UserID)
	}
	if logon.Delay != "" {
		if d, err := xmlDuration(logon.Delay); err != nil || d > time.Minute {
			t.Errorf("LogonTrigger Delay %q (%v): the kiosk is wanted within a minute of logon", logon.Delay, err)
		}
	}

	// As that user, in their session (InteractiveToken: only while they
	// are logged on, no stored password), without administrator rights.
	if len(x.Principals) != 1 {
		t.Fatalf("%d principals, want 1", len(x.Principals))
	}
	p := x.Principals[0]
	if p.LogonType != "InteractiveToken" {
		t.Errorf("LogonType %q, want InteractiveToken: the kiosk is a window on the user's desktop", p.LogonType)
	}
	if p.UserID != logon.UserID || p.GroupID != "" {
		t.Errorf("principal UserId %q GroupId %q, want the logon trigger's user %q", p.UserID, p.GroupID, logon.UserID)
	}
	if p.RunLevel != "LeastPrivilege" {
		t.Errorf("RunLevel %q, want LeastPrivilege", p.RunLevel)
	}
	if x.Actions.Context != p.ID {
		t.Errorf("Actions Context %q is not the principal %q", x.Actions.Context, p.ID)
	}

	s := x.Settings
	if s.ExecutionTimeLimit != "PT0S" {
		t.Errorf("ExecutionTimeLimit %q, want PT0S (none): by default Task Scheduler stops a task after 3 days", s.ExecutionTimeLimit)
	}
	if r := s.RestartOnFailure; r == nil {
		t.Error("no RestartOnFailure")
	} else {
		// Task Scheduler's schema: Interval PT1M to P31D, Count 1 to 255.
		if d, err := xmlDuration(r.Interval); err != nil || d < time.Minute || d > 31*24*time.Hour {
			t.Errorf("RestartOnFailure Interval %q (%v): Task Scheduler takes PT1M to P31D", r.Interval, err)
		} else if d != time.Minute {
			t.Errorf("RestartOnFailure Interval %q: want PT1M, the shortest", r.Interval)
		}
		if n, err := strconv.Atoi(r.Count); err != nil || n < 1 || n > 255 {
			t.Errorf("RestartOnFailure Count %q: Task Scheduler takes 1 to 255 (an unsignedByte)", r.Count)
		} else if n < 100 {
			t.Errorf("RestartOnFailure Count %d: want it to go on trying (255)", n)
		}
	}
	for name, v := range map[string]string{
		"MultipleInstancesPolicy":    s.MultipleInstancesPolicy + "=IgnoreNew",
		"DisallowStartIfOnBatteries": s.DisallowStartIfOnBatteries + "=false",
		"StopIfGoingOnBatteries":     s.StopIfGoingOnBatteries + "=false",
		"IdleSettings/StopOnIdleEnd": s.StopOnIdleEnd + "=false",
		"RunOnlyIfIdle":              s.RunOnlyIfIdle + "=false",
		"Enabled":                    s.Enabled + "=true",
	} {
		if got, want, _ := strings.Cut(v, "="); got != want {
			t.Errorf("%s %q, want %s", name, got, want)
		}
	}
	// 4 to 6 is a normal process priority; the default, 7, is below it.
	if n, err := strconv.Atoi(s.Priority); err != nil || n < 4 || n > 6 {
		t.Errorf("Priority %q, want 4 to 6 (normal)", s.Priority)
	}

	// One action: cmd.exe running balie-loop.cmd, from its own folder.
	if len(x.Actions.All) != 1 || x.Actions.All[0].XMLName.Local != "Exec" {
		t.Fatalf("%d actions, want one Exec", len(x.Actions.All))
	}
	a := x.Actions.All[0]
	if !strings.EqualFold(a.Command, `%SystemRoot%\System32\cmd.exe`) {
		t.Errorf("Command %q, want %%SystemRoot%%\\System32\\cmd.exe", a.Command)
	}
	m := regexp.MustCompile(`^/d /c "([^"]+)"$`).FindStringSubmatch(a.Arguments)
	if m == nil {
		t.Fatalf(`Arguments %q, want /d /c "FOLDER\balie-loop.cmd"`, a.Arguments)
	}
	script := strings.ReplaceAll(m[1], `\`, "/")
	if path.Base(script) != "balie-loop.cmd" {
		t.Errorf("the task runs %s, not balie-loop.cmd", m[1])
	}
	if !strings.EqualFold(path.Dir(script), strings.ReplaceAll(a.WorkingDirectory, `\`, "/")) {
		t.Errorf("WorkingDirectory %q is not balie-loop.cmd's folder %q", a.WorkingDirectory, path.Dir(script))
	}
	// cmd /c keeps the quotes only when nothing between them is special.
	if strings.ContainsAny(m[1], "&<>()@^|%") {
		t.Errorf("the script's path %q holds a character cmd /c would misread", m[1])
	}
	if _, err := os.Stat(path.Base(script)); err != nil {
		t.Error(err)
	}
}

// xmlDuration reads the XML Schema durations Task Scheduler uses:
// PnDTnHnMnS, without years or months.
func xmlDuration(s string) (time.Duration, error) {
	m := regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`).FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, &strconv.NumError{Func: "xmlDuration", Num: s, Err: strconv.ErrSyntax}
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			d += time.Duration(n) * unit
		}
	}
	return d, nil
}

func TestXMLDuration(t *testing.T) {
	for s, want := range map[string]time.Duration{
		"PT0S": 0, "PT1M": time.Minute, "PT5S": 5 * time.Second, "P31D": 31 * 24 * time.Hour,
		"P1DT2H3M4S": 26*time.Hour + 3*time.Minute + 4*time.Second,
	} {
		if got, err := xmlDuration(s); err != nil || got != want {
			t.Errorf("xmlDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "P", "PT", "1M", "PT1.5M", "P1Y"} {
		if _, err := xmlDuration(s); err == nil {
			t.Errorf("xmlDuration(%q) took it", s)
		}
	}
}
