"""save_state_dict writes a PyTorch state_dict in the safetensors layout
(8-byte header length, JSON header padded to 8 bytes, F32 data, I64 for
integer tensors), as
safetensors.torch.save_file would: the safetensors package is not in
Debian. Shared by gen.py and gen_rnn.py."""
import json
import struct

import torch


def save_state_dict(state_dict, path):
    header, blobs, off = {}, [], 0
    for name, t in state_dict.items():
        if t.dtype == torch.int64:  # BatchNorm's num_batches_tracked
            b, dtype = t.detach().contiguous().numpy().astype("<i8").tobytes(), "I64"
        else:
            b, dtype = t.detach().to(torch.float32).contiguous().numpy().tobytes(), "F32"
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)
