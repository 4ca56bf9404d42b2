package logfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheLogRotates(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w.Max, w.Keep = 100, 2
	for i := range 10 {
		w.Write([]byte(strings.Repeat(string(rune('a'+i)), 40) + "\n"))
	}
	w.Close()
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(names) != 3 {
		t.Fatalf("%v", names)
	}
	for _, n := range names {
		st, _ := os.Stat(n)
		if st.Size() > 100 || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %d bytes, mode %v", n, st.Size(), st.Mode())
		}
	}
	last, _ := os.ReadFile(filepath.Join(dir, Name))
	if !strings.HasSuffix(string(last), strings.Repeat("j", 40)+"\n") {
		t.Errorf("the newest lines are not in the log: %q", last)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", st.Mode())
	}
}

func TestALogThatCannotBeWrittenLosesOnlyTheLine(t *testing.T) {
	w := &Writer{}
	if n, err := w.Write([]byte("x\n")); n != 2 || err != nil {
		t.Fatal(n, err)
	}
}
