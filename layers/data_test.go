package layers_test

import (
	"context"
	"testing"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
)

// Package data's in-memory datasets are layers.Datasets.
var _ layers.Examples = (*data.Dataset)(nil)

// TestTrainOnDataPackage trains on a *data.Dataset, split into training and
// validation sets with data's own Split.
func TestTrainOnDataPackage(t *testing.T) {
	toy := toyData(1, 600)
	full := &data.Dataset{X: toy.X, Y: toy.Y, Classes: 3}
	train, val := full.Split(100)
	net, err := layers.NewMLP([]int{full.Dim(), 32, full.Classes}, layers.MLPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var last layers.EpochStats
	err = layers.Train(context.Background(), net, layers.ThesisSGD(0.1), train, layers.TrainConfig{
		Epochs: 3, BatchSize: 50, Validation: val,
		OnEpoch: func(s layers.EpochStats) error { last = s; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if last.Steps != 10 || last.ValAccuracy < 0.9 {
		t.Errorf("last epoch: %+v", last)
	}
}
