#!/usr/bin/env bash
# Trains models/current.tar.gz when the training inputs changed since the last training.
set -euo pipefail
cd "$(dirname "$0")/.."

# The same fingerprint the model registry records (training/fingerprint.py).
fingerprint=$(.venv-rasa/bin/python -m training.fingerprint .)

if [ -f models/current.tar.gz ] && [ "$(cat models/current.fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  echo "==> model is up to date (training data unchanged)"
  exit 0
fi

echo "==> training the Rasa model (training data changed; log in var/log/train.log)"
start=$(date +%s)
mkdir -p models var/log
# Rasa's own dependency warnings would bury the result; they stay in the log.
if ! PYTHONPATH=. .venv-rasa/bin/rasa train --fixed-model-name current --out models \
    >var/log/train.log 2>&1; then
  grep -v -E 'Warning|warn\(|^\s*$' var/log/train.log | tail -n 15 >&2
  echo "train: rasa train failed (above, full log in var/log/train.log); '.venv-rasa/bin/rasa data validate' explains problems in the training data." >&2
  exit 1
fi
echo "$fingerprint" > models/current.fingerprint
echo "==> trained in $(( $(date +%s) - start )) s"
