#!/usr/bin/env python3
"""Writes bn.safetensors and bn_outputs.json for layers' TestBatchNormPyTorch.

A PyTorch nn.Sequential(Linear(6, 8), BatchNorm1d(8), ReLU(), Linear(8, 5),
BatchNorm1d(5, eps=1e-3, momentum=0.2), ReLU(), Linear(5, 3)) with seeded
weights, its batch-norm scales and shifts moved off 1 and 0 and its running
statistics set by three training-mode batches; its state_dict (with the
int64 num_batches_tracked) is saved in the safetensors layout without
metadata. The JSON file holds: eval-mode logits on 7 seeded inputs; then,
for one training-mode batch of 9 inputs with labels, the mean cross-entropy
(PyTorch's F.cross_entropy) and the running means and variances after it.

Run from this directory: python3 gen_bn.py (needs python3-torch).
"""
import json

import torch

from stwrite import save_state_dict

torch.manual_seed(7)
model = torch.nn.Sequential(
    torch.nn.Linear(6, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
    torch.nn.Linear(8, 5), torch.nn.BatchNorm1d(5, eps=1e-3, momentum=0.2), torch.nn.ReLU(),
    torch.nn.Linear(5, 3))
with torch.no_grad():
    for bn in (model[1], model[4]):
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.normal_(0, 0.3)
model.train()
with torch.no_grad():
    for _ in range(3):
        model(torch.randn(16, 6) * 2 + 1)

save_state_dict(model.state_dict(), "bn.safetensors")

model.eval()
x = torch.randn(7, 6)
with torch.no_grad():
    logits = model(x).to(torch.float64)
model.train()
xt = torch.randn(9, 6) + 0.5
yt = torch.randint(0, 3, (9,))
with torch.no_grad():
    loss = torch.nn.functional.cross_entropy(model(xt), yt).item()
with open("bn_outputs.json", "w") as f:
    json.dump({"torch": torch.__version__, "x": x.tolist(), "logits": logits.tolist(),
               "train_x": xt.tolist(), "train_y": yt.tolist(), "train_loss": loss,
               "running_mean": [model[1].running_mean.tolist(), model[4].running_mean.tolist()],
               "running_var": [model[1].running_var.tolist(), model[4].running_var.tolist()]}, f, indent=1)
    f.write("\n")
