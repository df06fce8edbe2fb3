#!/usr/bin/env bash
# The Rasa-side checks of `make test`: data validation and the conversation tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=.
# Rasa's dependencies are noisy about their own deprecations; our checks are what matters here.
export PYTHONWARNINGS="ignore::DeprecationWarning"

echo "==> rasa data validate"
.venv-rasa/bin/rasa data validate --fail-on-warnings --quiet

if compgen -G "tests/conversations/test_*.yml" >/dev/null; then
  echo "==> conversation tests (tests/conversations)"
  # No action server runs here: stories test the dialogue policy's predictions.
  PYTHONWARNINGS=ignore .venv-rasa/bin/rasa test core --model models/current.tar.gz --stories tests/conversations \
    --out results/conversations --fail-on-prediction-errors --quiet
fi
