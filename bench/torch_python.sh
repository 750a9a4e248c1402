# Sourced by the PyTorch comparison scripts: sets py to $PYTHON or to the
# first python3 on PATH, then /usr/bin/python3, that imports torch, and
# exits with a message naming the calling script if there is none.
py=${PYTHON:-}
if [ -z "$py" ]; then
  for c in python3 /usr/bin/python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import torch' 2>/dev/null; then py=$c; break; fi
  done
fi
if [ -z "$py" ]; then
  echo "$(basename "$0"): no python3 that imports torch (apt-get install -y python3-torch, or set PYTHON)" >&2
  exit 1
fi
