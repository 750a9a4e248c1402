#!/usr/bin/env python3
"""Writes rnn.safetensors and rnn_outputs.json for rnn's TestSafetensorsPyTorch.

A single-layer ReLU RNN (torch.nn.RNN(3, 7, nonlinearity="relu")) followed
by torch.nn.Linear(7, 4), with seeded random weights and both biases
nonzero; its state_dict goes to rnn.safetensors (the safetensors layout
written by hand, as in gen.py) and its outputs at every step of a seeded
input of 5 steps x 2 sequences to the JSON file.

Run from this directory: python3 gen_rnn.py (needs python3-torch).
"""
import json

import torch

from stwrite import save_state_dict


class ReLURNN(torch.nn.Module):
    def __init__(self, n_in, hidden, n_out):
        super().__init__()
        self.rnn = torch.nn.RNN(n_in, hidden, nonlinearity="relu")
        self.out = torch.nn.Linear(hidden, n_out)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h)


torch.manual_seed(5)
model = ReLURNN(3, 7, 4)
model.eval()

save_state_dict(model.state_dict(), "rnn.safetensors")

x = torch.randn(5, 2, 3)  # steps x sequences x inputs
with torch.no_grad():
    y = model(x).to(torch.float64)
with open("rnn_outputs.json", "w") as f:
    json.dump({"torch": torch.__version__, "x": x.tolist(), "y": y.tolist()}, f, indent=1)
    f.write("\n")
