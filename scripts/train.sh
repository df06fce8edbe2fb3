#!/usr/bin/env bash
# Trains models/current.tar.gz when the training inputs changed since the last training.
set -euo pipefail
cd "$(dirname "$0")/.."

inputs=(config.yml domain.yml data bot requirements/rasa.lock)
fingerprint=$(find "${inputs[@]}" -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)

if [ -f models/current.tar.gz ] && [ "$(cat models/current.fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  echo "==> model is up to date (training data unchanged)"
  exit 0
fi

echo "==> training the Rasa model (training data changed)"
start=$(date +%s)
mkdir -p models
PYTHONPATH=. .venv-rasa/bin/rasa train --fixed-model-name current --out models --quiet \
  || { echo "train: rasa train failed; run '.venv-rasa/bin/rasa data validate' to see what is wrong with the training data." >&2; exit 1; }
echo "$fingerprint" > models/current.fingerprint
echo "==> trained in $(( $(date +%s) - start )) s"
