// Package tasks generates the data of the recurrent tasks the thesis
// trains ReLU RNNs on: the addition problem, sequential (and permuted)
// pixel MNIST, and character-level language modelling on a text corpus.
package tasks

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/rnn"
	"gonum.org/v1/gonum/blas/blas32"
)

// Task is one learning problem: it makes the training batches and
// measures a model on held-out data.
type Task interface {
	// Config is the model's architecture and loss for hidden units.
	Config(hidden int) rnn.Config
	// Next returns the training batch of iteration it (0-based). The batch
	// and its buffers may be reused by the next call. m is the model, whose
	// final state after the previous batch tasks that carry it read.
	Next(it int, m *rnn.Model) *rnn.Batch
	// Evaluate returns the held-out metric (test MSE, test accuracy or
	// validation bits per character).
	Evaluate(m *rnn.Model) float64
	// Final returns the metric reported at the end (e.g. test bits per
	// character after validation during training); ok is false when it is
	// the last Evaluate value.
	Final(m *rnn.Model) (v float64, ok bool)
}

// errNoValidation is the panic of SeqMNIST.Validate without HoldOut.
const errNoValidation = "tasks: no validation images (call HoldOut before training)"

// Validator is a task with a validation set held out from its training
// data and from its test set, for choosing settings (step sizes) without
// looking at the test set.
type Validator interface {
	// Validate returns the metric of Evaluate on the validation set.
	Validate(m *rnn.Model) float64
}

// ---- Addition problem ----

// Addition is the addition problem of Hochreiter and Schmidhuber as
// set by Le et al. and the thesis: at each of T steps the input is a
// U(0,1) value and a marker; exactly two markers are 1, one in each half
// of the sequence; the target at the last step is the sum of the two
// marked values. Predicting 1 always gives MSE 1/6.
type Addition struct {
	steps, batch int
	pcg          *rand.PCG
	rng          *rand.Rand
	train        *rnn.Batch
	test         []*rnn.Batch
	// val is the validation set, drawn on first use from a stream of its
	// own (so that the training and test streams are those of a task
	// never validated), as many sequences as the test set.
	val  []*rnn.Batch
	seed uint64
}

// NewAddition returns the addition problem over steps steps: training
// batches of batch sequences drawn from seed, and a fixed test set of
// testN sequences.
func NewAddition(steps, batch, testN int, seed uint64) *Addition {
	pcg := rand.NewPCG(seed, uint64(steps))
	a := &Addition{steps: steps, batch: batch, pcg: pcg, rng: rand.New(pcg), seed: seed}
	a.train = newAdditionBatch(steps, batch)
	test := rand.New(rand.NewPCG(seed^0x7e57, uint64(steps)))
	for n := 0; n < testN; {
		rows := min(250, testN-n)
		b := newAdditionBatch(steps, rows)
		fillAddition(b, test)
		a.test = append(a.test, b)
		n += rows
	}
	return a
}

func newAdditionBatch(steps, rows int) *rnn.Batch {
	return &rnn.Batch{Steps: steps, Rows: rows, X: make([]float32, steps*rows*2),
		Outputs: rnn.LastStep(steps), Targets: make([]float32, rows)}
}

// fillAddition draws a new batch of the addition problem into b.
func fillAddition(b *rnn.Batch, r *rand.Rand) {
	steps, rows := b.Steps, b.Rows
	half := steps / 2
	for row := 0; row < rows; row++ {
		i, j := r.IntN(half), half+r.IntN(steps-half)
		b.Targets[row] = 0
		for t := 0; t < steps; t++ {
			v := float32(r.Float64())
			x := b.X[(t*rows+row)*2:]
			x[0], x[1] = v, 0
			if t == i || t == j {
				x[1] = 1
				b.Targets[row] += v
			}
		}
	}
}

// Config is one input pair per step, one output, the squared loss.
func (a *Addition) Config(hidden int) rnn.Config {
	return rnn.Config{In: 2, Hidden: hidden, Out: 1, Loss: rnn.Squared}
}

// Next draws a new training batch.
func (a *Addition) Next(int, *rnn.Model) *rnn.Batch {
	fillAddition(a.train, a.rng)
	return a.train
}

// Evaluate returns the test MSE.
func (a *Addition) Evaluate(m *rnn.Model) float64 {
	var sum float64
	n := 0
	for _, b := range a.test {
		sum += m.Loss(b) * float64(b.Rows)
		n += b.Rows
	}
	return sum / float64(n)
}

// Validate returns the MSE on the validation sequences.
func (a *Addition) Validate(m *rnn.Model) float64 {
	if a.val == nil {
		r := rand.New(rand.NewPCG(a.seed^0x7a11d, uint64(a.steps)))
		for _, t := range a.test {
			b := newAdditionBatch(a.steps, t.Rows)
			fillAddition(b, r)
			a.val = append(a.val, b)
		}
	}
	var sum float64
	n := 0
	for _, b := range a.val {
		sum += m.Loss(b) * float64(b.Rows)
		n += b.Rows
	}
	return sum / float64(n)
}

// Final reports no separate final metric.
func (a *Addition) Final(*rnn.Model) (float64, bool) { return 0, false }

// ---- Sequential pixel MNIST ----

// SeqMNIST feeds an MNIST image one pixel per step (784 steps, in row
// order or through a fixed permutation) and classifies it at the last
// step. The images may be downsampled first (-side) for a shorter task.
type SeqMNIST struct {
	train, test *data.Dataset
	val         *data.Dataset // nil until HoldOut
	perm        []int         // pixel order
	batch       int
	order       []int
	pcg         *rand.PCG // the stream of data.NewRand(seed)
	rng         *rand.Rand
	b           *rnn.Batch
	evalRows    int
}

// NewSeqMNIST returns sequential pixel MNIST from the IDX files in dir:
// the first trainN and testN images (0: all), downsampled to side x side
// when side differs from 28, in pixel order or (permute) through a fixed
// permutation drawn from seed; training batches of batch images.
func NewSeqMNIST(dir string, trainN, testN, batch, side int, permute bool, seed uint64) (*SeqMNIST, error) {
	train, test, err := data.LoadMNIST(dir)
	if err != nil {
		return nil, err
	}
	// The first trainN and testN images (Split keeps the first Len()-n).
	if trainN > 0 && trainN < train.Len() {
		train, _ = train.Split(train.Len() - trainN)
	}
	if testN > 0 && testN < test.Len() {
		test, _ = test.Split(test.Len() - testN)
	}
	if side != train.Height {
		// A reduced task: side*side steps instead of 784.
		train, test = train.Downsample(side, side), test.Downsample(side, side)
	}
	pcg := rand.NewPCG(seed, seed) // data.NewRand(seed)'s source
	t := &SeqMNIST{train: train, test: test, batch: batch, pcg: pcg, rng: rand.New(pcg), evalRows: 200}
	t.perm = make([]int, train.Dim())
	for i := range t.perm {
		t.perm[i] = i
	}
	if permute {
		t.perm = data.Permutation(train.Dim(), seed^0x9e37)
	}
	t.b = t.newBatch(batch)
	return t, nil
}

func (t *SeqMNIST) newBatch(rows int) *rnn.Batch {
	steps := t.train.Dim()
	return &rnn.Batch{Steps: steps, Rows: rows, X: make([]float32, steps*rows), Outputs: rnn.LastStep(steps), Labels: make([]int, rows)}
}

// fill copies examples idx of d into b as pixel sequences.
func (t *SeqMNIST) fill(b *rnn.Batch, d *data.Dataset, idx []int) {
	b.Rows = len(idx)
	b.X = b.X[:b.Steps*b.Rows]
	b.Labels = b.Labels[:b.Rows]
	for r, i := range idx {
		img := d.Row(i)
		for s, p := range t.perm {
			b.X[s*b.Rows+r] = img[p]
		}
		b.Labels[r] = d.Y[i]
	}
}

// Config is one pixel per step, ten classes at the last step.
func (t *SeqMNIST) Config(hidden int) rnn.Config {
	return rnn.Config{In: 1, Hidden: hidden, Out: 10}
}

// EpochSteps is the number of iterations in one pass over the training set.
func (t *SeqMNIST) EpochSteps() int { return t.train.Len() / t.batch }

// Next returns the training batch of iteration it, reshuffling at every
// epoch.
func (t *SeqMNIST) Next(it int, _ *rnn.Model) *rnn.Batch {
	per := t.EpochSteps()
	if it%per == 0 {
		t.order = t.order[:0]
		for i := 0; i < t.train.Len(); i++ {
			t.order = append(t.order, i)
		}
		data.Shuffle(t.order, t.rng)
	}
	k := it % per
	t.fill(t.b, t.train, t.order[k*t.batch:(k+1)*t.batch])
	return t.b
}

// Evaluate returns the test accuracy.
func (t *SeqMNIST) Evaluate(m *rnn.Model) float64 { return t.accuracy(m, t.test) }

// accuracy returns m's accuracy on d.
func (t *SeqMNIST) accuracy(m *rnn.Model, d *data.Dataset) float64 {
	b := t.newBatch(t.evalRows)
	idx := make([]int, 0, t.evalRows)
	correct := 0
	for i0 := 0; i0 < d.Len(); i0 += t.evalRows {
		idx = idx[:0]
		for i := i0; i < min(i0+t.evalRows, d.Len()); i++ {
			idx = append(idx, i)
		}
		t.fill(b, d, idx)
		y := m.Forward(b)
		for r := 0; r < y.Rows; r++ {
			row := y.Data[r*y.Stride : r*y.Stride+y.Cols]
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			if best == b.Labels[r] {
				correct++
			}
		}
	}
	return float64(correct) / float64(d.Len())
}

// Final reports no separate final metric.
func (t *SeqMNIST) Final(*rnn.Model) (float64, bool) { return 0, false }

// HoldOut moves the last n training images into a validation set (before
// training starts: it changes the training set). It is an error when
// fewer than one batch of training images would remain.
func (t *SeqMNIST) HoldOut(n int) error {
	if n <= 0 || t.train.Len()-n < t.batch {
		return fmt.Errorf("holding out %d of %d training images leaves less than a batch of %d", n, t.train.Len(), t.batch)
	}
	t.train, t.val = t.train.Split(n)
	t.order = t.order[:0]
	return nil
}

// Validate returns the accuracy on the held-out images (HoldOut); it
// panics when none were held out.
func (t *SeqMNIST) Validate(m *rnn.Model) float64 {
	if t.val == nil {
		panic(errNoValidation)
	}
	return t.accuracy(m, t.val)
}

// ---- Character-level language modelling ----

// Text is next-character prediction on a byte corpus split into
// training, validation and test parts (Corpus). Training reads Batch
// parallel streams of the training text in chunks of Steps characters,
// carrying the hidden state from chunk to chunk (truncated BPTT over one
// chunk). The metric is bits per character.
type Text struct {
	name             string
	vocab            []byte // id -> byte
	train, val, test []uint8
	steps, batch     int
	pos              int // position in each training stream
	b                *rnn.Batch
	evalChars        int
	// carry holds the training streams' state while an evaluation uses the
	// model's buffers; saved says it is current.
	carry []float32
	saved bool
}

// Corpus is a text corpus split into training, validation and test parts.
type Corpus struct {
	// Name names the corpus in reports.
	Name string
	// Split says how the parts were made, for reports.
	Split string
	// Train, Val and Test are the parts' bytes.
	Train, Val, Test []byte
}

// Len returns the corpus's total size in bytes.
func (c Corpus) Len() int { return len(c.Train) + len(c.Val) + len(c.Test) }

// SplitText splits one text by position: the first 90% for training, the
// next 5% for validation, the last 5% for testing.
func SplitText(name string, text []byte) Corpus {
	n := len(text)
	return Corpus{Name: name, Split: "by position 90/5/5",
		Train: text[:n*90/100], Val: text[n*90/100 : n*95/100], Test: text[n*95/100:]}
}

// LoadCorpus reads a text corpus from path, at most maxBytes bytes of it
// (0: all), split by position as SplitText does and named by its base name.
func LoadCorpus(path string, maxBytes int) (Corpus, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return Corpus{}, err
	}
	if maxBytes > 0 && len(text) > maxBytes {
		text = text[:maxBytes]
	}
	return SplitText(filepath.Base(path), text), nil
}

// Document is one file of a corpus split by file.
type Document struct {
	// Path identifies the file; the split hashes it.
	Path string
	Text []byte
}

// SplitFiles splits a corpus by file: each document goes whole to one part,
// chosen by the FNV-1a hash of its path (hash mod 20: 0 test, 1
// validation, otherwise training, so about 90/5/5 of the files), and the
// documents of each part are concatenated in the given order. A model
// evaluated on the validation or test part has never seen any of those
// files, which a split by position of the concatenation does not promise
// (it cuts a file in two, and neighbouring files of one package share
// much text). It is an error when a part ends up empty.
func SplitFiles(name string, docs []Document) (Corpus, error) {
	c := Corpus{Name: name}
	var nTrain, nVal, nTest int
	for _, d := range docs {
		h := fnv.New32a()
		h.Write([]byte(d.Path))
		switch h.Sum32() % 20 {
		case 0:
			c.Test = append(c.Test, d.Text...)
			nTest++
		case 1:
			c.Val = append(c.Val, d.Text...)
			nVal++
		default:
			c.Train = append(c.Train, d.Text...)
			nTrain++
		}
	}
	if len(c.Train) == 0 || len(c.Val) == 0 || len(c.Test) == 0 {
		return Corpus{}, fmt.Errorf("splitting %d files by file left a part empty (train %d, validation %d, test %d files): use more files",
			len(docs), nTrain, nVal, nTest)
	}
	c.Split = fmt.Sprintf("by file: %d/%d/%d files", nTrain, nVal, nTest)
	return c, nil
}

// GoSources reads the Go files under goroot/src (testdata and vendor
// directories left out) in lexical order, whole files while their total
// stays within maxBytes (0: all), and splits them by file (SplitFiles): a
// corpus every Go installation has.
func GoSources(goroot string, maxBytes int) (Corpus, error) {
	root := filepath.Join(goroot, "src")
	var docs []Document
	total := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if maxBytes > 0 && total+len(b) > maxBytes {
			return fs.SkipAll
		}
		rel, _ := filepath.Rel(root, p)
		docs = append(docs, Document{Path: filepath.ToSlash(rel), Text: b})
		total += len(b)
		return nil
	})
	if err != nil {
		return Corpus{}, fmt.Errorf("reading the Go sources under %s: %w", root, err)
	}
	return SplitFiles("GOROOT/src/**/*.go", docs)
}

// NewText returns the character-level task on one text split by position
// (SplitText), read in chunks of steps characters by batch parallel
// streams; evaluations read at most evalChars characters (0: all).
func NewText(name string, text []byte, steps, batch, evalChars int) (*Text, error) {
	return NewTextCorpus(SplitText(name, text), steps, batch, evalChars)
}

// NewTextCorpus is NewText on a corpus already split (SplitFiles,
// GoSources, LoadCorpus). The vocabulary is every byte that occurs in any
// part.
func NewTextCorpus(c Corpus, steps, batch, evalChars int) (*Text, error) {
	var seen [256]bool
	for _, part := range [][]byte{c.Train, c.Val, c.Test} {
		for _, ch := range part {
			seen[ch] = true
		}
	}
	var ids [256]uint8
	t := &Text{name: c.Name, steps: steps, batch: batch, evalChars: evalChars}
	for ch, ok := range seen {
		if ok {
			ids[ch] = uint8(len(t.vocab))
			t.vocab = append(t.vocab, byte(ch))
		}
	}
	enc := func(part []byte) []uint8 {
		out := make([]uint8, len(part))
		for i, ch := range part {
			out[i] = ids[ch]
		}
		return out
	}
	t.train, t.val, t.test = enc(c.Train), enc(c.Val), enc(c.Test)
	if len(t.train)/batch < 2*steps+2 || len(t.val) < steps+1 || len(t.test) < steps+1 {
		return nil, fmt.Errorf("corpus of %d bytes (train %d, validation %d, test %d) is too short for batch %d and %d steps",
			c.Len(), len(c.Train), len(c.Val), len(c.Test), batch, steps)
	}
	t.b = t.newBatch(batch)
	return t, nil
}

func (t *Text) newBatch(rows int) *rnn.Batch {
	v := len(t.vocab)
	return &rnn.Batch{Steps: t.steps, Rows: rows, X: make([]float32, t.steps*rows*v),
		Outputs: rnn.EveryStep(t.steps), Labels: make([]int, t.steps*rows)}
}

// Config is one-hot characters in and out.
func (t *Text) Config(hidden int) rnn.Config {
	return rnn.Config{In: len(t.vocab), Hidden: hidden, Out: len(t.vocab)}
}

// fill sets b to one-hot inputs text[start_r + i] and labels
// text[start_r + i + 1] for stream r, i < Steps.
func (t *Text) fill(b *rnn.Batch, text []uint8, starts []int) {
	v := len(t.vocab)
	clear(b.X)
	for r, s := range starts {
		for i := 0; i < b.Steps; i++ {
			b.X[(i*b.Rows+r)*v+int(text[s+i])] = 1
			b.Labels[i*b.Rows+r] = int(text[s+i+1])
		}
	}
}

// Next returns the next chunk of every training stream, with the state
// carried from the previous chunk.
func (t *Text) Next(_ int, m *rnn.Model) *rnn.Batch {
	seg := len(t.train) / t.batch
	if t.pos+t.steps+1 > seg {
		t.pos = 0
	}
	starts := make([]int, t.batch)
	for r := range starts {
		starts[r] = r*seg + t.pos
	}
	t.fill(t.b, t.train, starts)
	// Carry the state along the streams, except at their starts.
	t.b.H0 = blas32.General{}
	if t.pos > 0 {
		if t.saved {
			h := m.Config().Hidden
			t.b.H0 = blas32.General{Rows: t.batch, Cols: h, Stride: h, Data: t.carry}
		} else {
			t.b.H0 = m.FinalState()
		}
	}
	t.saved = false
	t.pos += t.steps
	return t.b
}

// save keeps the training streams' state before an evaluation.
func (t *Text) save(m *rnn.Model) {
	if t.saved || t.pos == 0 {
		return
	}
	st := m.FinalState()
	t.carry = t.carry[:0]
	for r := 0; r < st.Rows; r++ {
		t.carry = append(t.carry, st.Data[r*st.Stride:r*st.Stride+st.Cols]...)
	}
	t.saved = true
}

// bits returns the bits per character of m on text, read as 16 parallel
// streams (at most evalChars characters in all) with the state carried.
func (t *Text) bits(m *rnn.Model, text []uint8) float64 {
	const streams = 16
	n := len(text) - 1
	if t.evalChars > 0 {
		n = min(n, t.evalChars)
	}
	seg := n / streams
	chunks := seg / t.steps
	if chunks == 0 {
		return math.NaN()
	}
	b := t.newBatch(streams)
	starts := make([]int, streams)
	var sum float64
	for c := 0; c < chunks; c++ {
		for r := range starts {
			starts[r] = r*seg + c*t.steps
		}
		t.fill(b, text, starts)
		b.H0 = blas32.General{}
		if c > 0 {
			b.H0 = m.FinalState()
		}
		sum += m.Loss(b)
	}
	return sum / float64(chunks) / math.Ln2
}

// Evaluate returns the validation bits per character.
func (t *Text) Evaluate(m *rnn.Model) float64 {
	t.save(m)
	return t.bits(m, t.val)
}

// Validate returns the validation bits per character (Evaluate's metric:
// the text task's running evaluation is on its validation part already,
// its test part is read once, by Final), for step-size grids.
func (t *Text) Validate(m *rnn.Model) float64 { return t.Evaluate(m) }

// Final returns the test bits per character.
func (t *Text) Final(m *rnn.Model) (float64, bool) {
	t.save(m)
	return t.bits(m, t.test), true
}

// Sizes returns the numbers of training and test images.
func (t *SeqMNIST) Sizes() (train, test int) { return t.train.Len(), t.test.Len() }

// Sizes returns the vocabulary size and the characters of the training,
// validation and test parts.
func (t *Text) Sizes() (vocab, train, val, test int) {
	return len(t.vocab), len(t.train), len(t.val), len(t.test)
}
