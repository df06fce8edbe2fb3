#!/usr/bin/env bash
# Re-pins requirements/*.lock (with hashes) from requirements/*.in.
# Pins already in a lock file are kept unless the .in file needs another version; UPGRADE=1
# moves every package to its newest allowed release. Setup installs from the lock files only.
set -euo pipefail
cd "$(dirname "$0")/.."

uv=$(scripts/bootstrap_uv.sh "${APP_PYTHON:-python3}")
upgrade=()
[ "${UPGRADE:-0}" = 1 ] && upgrade=(--upgrade)

# pin NAME PYTHON_VERSION: resolve for the oldest Python that environment supports, so the lock
# also installs on newer patch releases (markers such as `python_full_version < "3.11.3"`).
pin() {
  local name=$1 python_version=$2
  "$uv" pip compile --quiet --generate-hashes "${upgrade[@]}" --python-version "$python_version" \
    --custom-compile-command "make lock" --output-file "requirements/$name.lock" "requirements/$name.in"
  echo "==> requirements/$name.lock"
}
pin app 3.11
pin rasa 3.10
pin uv 3.11
