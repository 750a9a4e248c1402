package experiment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fastpath-go/fastpath/dist"
	"github.com/fastpath-go/fastpath/internal/atomicfile"
)

// Runner runs the cells of one study into its output directory. A cell
// whose result is on disk is not run again, so a study interrupted at any
// moment continues where it stopped when run again with Resume.
type Runner struct {
	// Dir is the study's output directory.
	Dir string
	// Progress, if not nil, receives a line per cell: cells done of the
	// total, the estimated time left, and the cell starting.
	Progress io.Writer
	// KeepCheckpoints keeps each finished cell's final checkpoint
	// (cells/KEY/run.fpck) instead of removing it.
	KeepCheckpoints bool
	// Comm, if not nil and of several processes, spreads the cells of
	// RunBatch over them; every process must run the same study with the
	// same Dir, a directory they all see (one machine, or a shared file
	// system).
	Comm dist.Comm
	// Jobs, when above 1 (and the study runs in one process), runs up to
	// Jobs cells of a RunBatch at once, each on its own goroutine: the
	// independent runs of a sweep on separate cores. Their cells must not
	// share mutable state; their log lines interleave.
	Jobs int

	mu          sync.Mutex // guards the counters below and Progress
	total, done int
	ran         int           // cells run (not skipped) in this process
	spent       time.Duration // their time

	// Work per cell for the estimate of time left (SetWeights).
	weight                       func(key string) float64
	totalWork, doneWork, ranWork float64
}

// SetWeights makes the estimate of time left count each cell's work as
// weight(key) (its epochs times its examples, say) out of total over the
// whole study, instead of counting cells as equal.
func (r *Runner) SetWeights(weight func(key string) float64, total float64) {
	r.weight, r.totalWork = weight, total
}

func (r *Runner) work(key string) float64 {
	if r.weight == nil {
		return 1
	}
	return r.weight(key)
}

// studyFile records what a study directory holds.
type studyFile struct {
	Name     string          `json:"name"`
	Settings json.RawMessage `json:"settings"`
}

// ErrStudyMismatch is wrapped by Open's error for a directory holding
// another study, or this study with other settings.
var ErrStudyMismatch = errors.New("experiment: the directory holds another study")

// Open prepares dir for the study name with the given settings (any
// JSON-encodable value; the study's parameters that fix its results) and
// total cells. Without resume, dir must not hold a study of that name
// already (a finished or interrupted run is never overwritten by
// accident); with resume it must hold this study with the same settings,
// or nothing. Studies of different names may share a directory (their
// cell keys differ).
func Open(dir, name string, settings any, total int, resume bool) (*Runner, error) {
	sb, err := json.Marshal(settings)
	if err != nil {
		return nil, fmt.Errorf("experiment: settings: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "cells"), 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name+".study.json")
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !resume:
		return nil, fmt.Errorf("%s holds a %s study already: resume it (-resume) or choose another output directory", dir, name)
	default:
		var st studyFile
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if st.Name != name || !jsonEqual(st.Settings, sb) {
			return nil, fmt.Errorf("%w: %s was started as %s with settings %s; this run is %s with %s", ErrStudyMismatch, dir, st.Name, st.Settings, name, sb)
		}
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(studyFile{Name: name, Settings: sb})
	})
	if err != nil {
		return nil, err
	}
	return &Runner{Dir: dir, total: total}, nil
}

// Join attaches another process of a distributed study to the directory
// that the first process (rank 0) has prepared with Open: the study file
// must be there with the same name and settings; nothing is written.
func Join(dir, name string, settings any, total int) (*Runner, error) {
	sb, err := json.Marshal(settings)
	if err != nil {
		return nil, fmt.Errorf("experiment: settings: %w", err)
	}
	path := filepath.Join(dir, name+".study.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("experiment: joining the study in %s: %w", dir, err)
	}
	var st studyFile
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.Name != name || !jsonEqual(st.Settings, sb) {
		return nil, fmt.Errorf("%w: %s holds %s with settings %s; this process runs %s with %s", ErrStudyMismatch, dir, st.Name, st.Settings, name, sb)
	}
	return &Runner{Dir: dir, total: total}, nil
}

// OpenComm opens the study on every process of comm: rank 0 with Open,
// then, after a barrier, the others with Join; the runner's Comm is set.
// Every process must call it.
func OpenComm(comm dist.Comm, dir, name string, settings any, total int, resume bool) (*Runner, error) {
	var r *Runner
	var err error
	flag := []float64{0}
	if comm.Rank() == 0 {
		r, err = Open(dir, name, settings, total, resume)
		if err != nil {
			flag[0] = 1
		}
	}
	if rerr := comm.AllreduceSum64(flag); rerr != nil {
		return nil, errors.Join(err, rerr)
	}
	if flag[0] > 0 {
		if err == nil {
			err = fmt.Errorf("experiment: process 0 could not open the study in %s", dir)
		}
		return nil, err
	}
	if comm.Rank() > 0 {
		if r, err = Join(dir, name, settings, total); err != nil {
			return nil, err
		}
	}
	r.Comm = comm
	return r, nil
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ax, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(ax, by)
}

// Cell is one cell of a study being run.
type Cell struct {
	// Key names the cell (and its directory under DIR/cells).
	Key string
	// Dir is the cell's directory; Checkpoint the path of its training
	// checkpoint there, and Epochs its per-epoch log.
	Dir, Checkpoint, Epochs string
}

var keyRE = regexp.MustCompile(`^[A-Za-z0-9._=+-]+$`)

// Run runs the cell key unless its result is on disk already: either way
// result (a pointer) ends up holding it. run trains the cell (usually with
// TrainCell, which resumes from the cell's checkpoint) and fills result;
// when it returns nil the result is written atomically and the checkpoint
// removed (unless KeepCheckpoints). skipped reports a cell finished
// earlier. Keys are 1 to 200 characters of letters, digits and ._=+- (a
// programmer error otherwise, reported by a panic).
func (r *Runner) Run(key string, result any, run func(c *Cell) error) (skipped bool, err error) {
	if len(key) > 200 || !keyRE.MatchString(key) {
		panic("experiment: bad cell key " + key)
	}
	c := &Cell{Key: key, Dir: filepath.Join(r.Dir, "cells", key)}
	c.Checkpoint = filepath.Join(c.Dir, "run.fpck")
	c.Epochs = filepath.Join(c.Dir, "epochs.log")
	resPath := filepath.Join(c.Dir, "result.gob")
	if err := readValue(resPath, result); err == nil {
		r.mu.Lock()
		r.done++
		r.doneWork += r.work(key)
		r.report("done  ", key)
		r.mu.Unlock()
		return true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("%w (delete the cell's directory to run it again)", err)
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return false, err
	}
	r.mu.Lock()
	r.report("start ", key)
	r.mu.Unlock()
	t0 := time.Now()
	if err := run(c); err != nil {
		return false, fmt.Errorf("cell %s: %w", key, err)
	}
	if err := writeValue(resPath, result); err != nil {
		return false, fmt.Errorf("cell %s: saving its result: %w", key, err)
	}
	if !r.KeepCheckpoints {
		os.Remove(c.Checkpoint)
	}
	r.mu.Lock()
	r.done++
	r.ran++
	r.spent += time.Since(t0)
	r.doneWork += r.work(key)
	r.ranWork += r.work(key)
	r.mu.Unlock()
	return false, nil
}

// report writes a progress line: cells done of total, time left.
func (r *Runner) report(what, key string) {
	if r.Progress == nil {
		return
	}
	left := "time left unknown"
	total := r.totalWork
	if r.weight == nil {
		total = float64(r.total)
	}
	if r.ran > 0 && r.ranWork > 0 {
		secs := r.spent.Seconds() / r.ranWork * max(total-r.doneWork, 0)
		left = fmt.Sprintf("about %v left", (time.Duration(secs * float64(time.Second))).Round(time.Second))
	}
	fmt.Fprintf(r.Progress, "[%d/%d cells, %s] %s%s\n", r.done, r.total, left, what, key)
}

// BatchCell is one cell of RunBatch: what Run takes.
type BatchCell struct {
	Key    string
	Result any
	Run    func(c *Cell) error
}

// RunBatch runs independent cells. With a Comm of several processes, cell
// i runs on process i mod Size (each process its share, in order), and
// after a barrier every process reads every cell's result from the shared
// directory: all end with all results, each cell run once. If a process
// fails, every process returns an error (the failing one its own).
func (r *Runner) RunBatch(cells []BatchCell) error {
	if r.Comm == nil || r.Comm.Size() == 1 {
		if r.Jobs > 1 {
			return r.runConcurrently(cells)
		}
		for _, c := range cells {
			if _, err := r.Run(c.Key, c.Result, c.Run); err != nil {
				return err
			}
		}
		return nil
	}
	rank, size := r.Comm.Rank(), r.Comm.Size()
	var first error
	for i, c := range cells {
		if i%size != rank || first != nil {
			continue
		}
		if _, err := r.Run(c.Key, c.Result, c.Run); err != nil {
			first = err
		}
	}
	// Agree on failure before anyone reads the others' results.
	flag := []float64{0}
	if first != nil {
		flag[0] = 1
	}
	if err := r.Comm.AllreduceSum64(flag); err != nil {
		return errors.Join(first, err)
	}
	if first != nil {
		return first
	}
	if flag[0] > 0 {
		return fmt.Errorf("experiment: %d other process(es) failed a cell of the study (see their messages)", int(flag[0]))
	}
	for i, c := range cells {
		if i%size == rank {
			continue
		}
		path := filepath.Join(r.Dir, "cells", c.Key, "result.gob")
		if err := readValue(path, c.Result); err != nil {
			return fmt.Errorf("experiment: cell %s, run by process %d: %w", c.Key, i%size, err)
		}
		r.done++
	}
	return nil
}

// runConcurrently runs cells on up to r.Jobs goroutines, starting them in
// order; after a failure no further cell starts, and once the running ones
// have ended it returns the first error in cell order.
func (r *Runner) runConcurrently(cells []BatchCell) error {
	errs := make([]error, len(cells))
	sem := make(chan struct{}, r.Jobs)
	var wg sync.WaitGroup
	var failed atomic.Bool
	for i, c := range cells {
		sem <- struct{}{}
		if failed.Load() {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := r.Run(c.Key, c.Result, c.Run); err != nil {
				errs[i] = err
				failed.Store(true)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Done returns the number of cells finished (run or skipped) and the total.
func (r *Runner) Done() (done, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done, r.total
}
