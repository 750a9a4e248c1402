#!/usr/bin/env python3
"""Writes mlp.safetensors and mlp_outputs.json for layers' TestSafetensorsPyTorch.

A PyTorch nn.Sequential(Linear(5, 8), ReLU(), Dropout(0.3), Linear(8, 6),
ReLU(), Linear(6, 4)) with seeded random weights; its state_dict is saved
in the safetensors layout (8-byte header length, JSON header, F32 data;
written here by hand, as safetensors.torch.save_file would, since the
safetensors package is not in Debian) without metadata, and its logits and
softmax probabilities in eval mode on 7 seeded inputs go to the JSON file.

Run from this directory: python3 gen.py (needs python3-torch).
"""
import json

import torch

from stwrite import save_state_dict

torch.manual_seed(12)
model = torch.nn.Sequential(
    torch.nn.Linear(5, 8), torch.nn.ReLU(), torch.nn.Dropout(0.3),
    torch.nn.Linear(8, 6), torch.nn.ReLU(), torch.nn.Linear(6, 4))
model.eval()

save_state_dict(model.state_dict(), "mlp.safetensors")

x = torch.randn(7, 5)
with torch.no_grad():
    logits = model(x).to(torch.float64)
    probs = torch.softmax(logits, dim=1)
with open("mlp_outputs.json", "w") as f:
    json.dump({"torch": torch.__version__, "x": x.tolist(), "logits": logits.tolist(), "probs": probs.tolist()}, f, indent=1)
    f.write("\n")
