#!/usr/bin/env bash
# Creates and fills the two environments, the secrets file and (with --test) the browser.
# Installs with uv (bootstrapped into var/uv/ from a hashed lock); pip only where uv cannot run.
# Idempotent: an environment is reinstalled only when its lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_tools=0
[ "${1:-}" = "--test" ] && want_test_tools=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

is_python_310() { [ -n "$1" ] && [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "3.10" ]; }

find_python_310() {
  if [ -n "${RASA_PYTHON:-}" ]; then
    is_python_310 "$RASA_PYTHON" && { echo "$RASA_PYTHON"; return; }
    die "RASA_PYTHON=$RASA_PYTHON is not a working Python 3.10 interpreter; point it at one (e.g. RASA_PYTHON=/usr/bin/python3.10)."
  fi
  if command -v python3.10 >/dev/null 2>&1 && is_python_310 "$(command -v python3.10)"; then
    command -v python3.10; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local root candidate
    root=$(pyenv root)
    for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
      is_python_310 "$candidate/bin/python" && { echo "$candidate/bin/python"; return; }
    done
  fi
  if [ -n "$UV" ]; then
    local found
    found=$("$UV" python find 3.10 2>/dev/null || true)
    is_python_310 "$found" && { echo "$found"; return; }
  fi
  die "Rasa 3.6 needs Python 3.10 and none was found. Set RASA_PYTHON=/path/to/python3.10, put python3.10 on PATH, run 'pyenv install 3.10', or 'var/uv/bin/uv python install 3.10'."
}

find_app_python() {
  local candidate found
  for candidate in "${APP_PYTHON:-}" python3 python3.13 python3.12 python3.11; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    # The interpreter itself, not a pyenv shim: every later call skips the shim's start-up.
    found=$("$candidate" -c 'import sys; print(sys.executable) if sys.version_info >= (3, 11) else sys.exit(1)' 2>/dev/null) \
      && [ -x "$found" ] && { echo "$found"; return; }
  done
  die "The inbox and action server need Python 3.11 or newer; install one or set APP_PYTHON=/path/to/python3.11."
}

# install_env DIR PYTHON LOCKFILE: (re)create DIR and install LOCKFILE unless already done.
# uv checks every hash in the lock. It adds and replaces packages but removes none, as pip did:
# a package installed by hand for a pin that is on its way into the lock survives a setup.
install_env() {
  local dir=$1 python=$2 lock=$3 marker="$1/.installed-lock.sha256" digest
  digest=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$digest" ] && [ -x "$dir/bin/python" ]; then
    say "$dir is up to date"
    return
  fi
  if [ ! -x "$dir/bin/python" ]; then
    say "creating $dir with $("$python" --version 2>&1)"
    if [ -n "$UV" ]; then
      "$UV" venv --quiet --clear --python "$python" "$dir"
    else
      "$python" -m venv --clear "$dir"
    fi
  fi
  say "installing $lock into $dir"
  if [ -n "$UV" ]; then
    "$UV" pip install --quiet --require-hashes --python "$dir/bin/python" -r "$lock" \
      || die "installing $lock into $dir failed (above); check the network or run 'make lock'."
    "$UV" pip check --quiet --python "$dir/bin/python" >/dev/null \
      || die "$dir has inconsistent packages after installing $lock; run 'make lock' and try again."
  else
    # An environment made by uv has no pip of its own.
    "$dir/bin/python" -m pip --version >/dev/null 2>&1 || "$dir/bin/python" -m ensurepip --default-pip >/dev/null
    # The lock pins every package with its hashes, so pip needs no resolver (--no-deps).
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
      -r "$lock" 2> >(grep -v "is ignored: it is neither" >&2) \
      || die "installing $lock into $dir failed (above); check the network or run 'make lock'."
    "$dir/bin/python" -m pip check >/dev/null \
      || die "$dir has inconsistent packages after installing $lock; run 'make lock' and try again."
  fi
  echo "$digest" > "$marker"
}

# The pinned uv in var/uv/; pip only where uv cannot be installed (or SETUP_INSTALLER=pip).
find_uv() {
  [ "${SETUP_INSTALLER:-uv}" = pip ] && return 0
  scripts/bootstrap_uv.sh "$APP_PY" || say "uv is unavailable here; installing with pip instead (slower)" >&2
}

write_secrets() {
  mkdir -p var
  local file=var/secrets.env name value
  [ -f "$file" ] || say "generating local secrets in $file (git-ignored)"
  umask 077
  touch "$file"
  # Each missing name is added, so a secret introduced later reaches existing checkouts too.
  for name in RASA_TOKEN INBOX_SERVICE_TOKEN ACTION_SERVER_TOKEN INBOX_JWT_SECRET DELIVERY_SIGNING_SECRET DEMO_STAFF_PASSWORD; do
    grep -q "^$name=" "$file" && continue
    case $name in
      DEMO_STAFF_PASSWORD) value=$("$APP_PY" -c 'import secrets; print(secrets.token_urlsafe(9))') ;;
      *) value=$("$APP_PY" -c 'import secrets; print(secrets.token_urlsafe(32))') ;;
    esac
    echo "$name=$value" >> "$file"
  done
}

install_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium for the browser tests"
    if [ "$(id -u)" = 0 ]; then
      apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null; } \
        || die "could not install chromium with apt-get; install Debian's 'chromium' package and run again."
    else
      die "the browser tests need Debian's chromium; run 'sudo apt-get install chromium' and try again."
    fi
  fi
}

install_node_packages() {
  [ -f package-lock.json ] || return 0
  local digest marker=node_modules/.installed-lock.sha256
  digest=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$digest" ]; then return; fi
  command -v npm >/dev/null 2>&1 || die "the demo chat page needs npm (Node.js); install nodejs and npm and run again."
  say "installing the web page's npm packages"
  npm ci --silent --no-audit --no-fund >/dev/null
  echo "$digest" > "$marker"
}

APP_PY=$(find_app_python)
UV=$(find_uv)
# Never fetch an interpreter behind the person's back; find_python_310 says how to get one.
export UV_PYTHON_DOWNLOADS=never
RASA_PY=$(find_python_310)
# The two environments are independent: install them side by side.
install_env .venv "$APP_PY" requirements/app.lock & app_job=$!
install_env .venv-rasa "$RASA_PY" requirements/rasa.lock & rasa_job=$!
wait "$app_job" || exit 1
wait "$rasa_job" || exit 1
install_node_packages
write_secrets
[ "$want_test_tools" = 1 ] && install_test_tools
say "environments ready"
