#!/usr/bin/env bash
# Installs the pinned uv from requirements/uv.lock (hash-checked) into var/uv/ and prints its path.
# Needs only a Python with pip; a second run installs nothing. Usage: bootstrap_uv.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${1:-python3}
dir=var/uv
lock=requirements/uv.lock
marker=$dir/.installed-lock.sha256
digest=$(sha256sum "$lock" | cut -d' ' -f1)

if [ ! -x "$dir/bin/uv" ] || [ "$(cat "$marker" 2>/dev/null)" != "$digest" ]; then
  rm -rf "$dir"
  # --target, not a venv: no interpreter copy and no pip to seed, just the one binary.
  # This machine's pip.conf adds local file indexes that pip warns about on every lookup.
  if ! PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check \
      --no-deps --require-hashes --target "$dir" -r "$lock" 2> >(grep -v "is ignored: it is neither" >&2); then
    rm -rf "$dir"
    echo "bootstrap_uv: could not install uv from $lock with $python -m pip" >&2
    exit 1
  fi
  echo "$digest" > "$marker"
fi
echo "$PWD/$dir/bin/uv"
