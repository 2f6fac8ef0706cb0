# Shared setup for ./scripts/run, ./scripts/test and the benchmarks. Sourced, not executed.
#
# Installs what is missing, idempotently:
#   - Debian packages: python3-venv, postgresql and postgresql-<version>-postgis-3 (only when no
#     GEOSERVICE_DATABASE_URL is set), plus any extra packages the caller names;
#   - the project virtualenv .venv from requirements.lock (hash-pinned), reinstalled only when the
#     lock file or pyproject.toml changed;
#   - the map pages' Leaflet plugins from the npm registry (pinned and hash-checked);
#   - with ensure_tools (./scripts/test only): biome, the JavaScript formatter and linter, from
#     its pinned npm tarball, hash-checked, under .geoservice/tools.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
TOOLS="$ROOT/.geoservice/tools"
BIOME="$TOOLS/cli-linux-x64/biome"
export PYTHONDONTWRITEBYTECODE=1

log() { printf '\033[1m[geoservice]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[geoservice]\033[0m %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
apt_install() {
  # apt_install PKG... : install Debian packages, or tell a non-root user the exact command.
  [ "$#" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO=sudo
    else
      die "Missing Debian packages: $*. Install them with:
    sudo apt-get update && sudo apt-get install -y $*
then run this command again."
    fi
  else
    SUDO=""
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

pg_version() {
  # The newest PostgreSQL major version whose server binaries are installed, or nothing.
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] && basename "$(dirname "$(dirname "$bin")")"
  return 0
}

ensure_python() {
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die "Python 3.11 or newer is needed (found $(python3 --version 2>&1))."
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install "python3-venv"
  fi
}

ensure_postgis() {
  # Only the embedded cluster needs local server packages.
  if [ -n "${GEOSERVICE_DATABASE_URL:-}" ]; then
    log "GEOSERVICE_DATABASE_URL is set: using that server, no local cluster"
    return 0
  fi
  local ver
  ver=$(pg_version)
  if [ -z "$ver" ]; then
    apt_install postgresql postgresql-contrib
    ver=$(pg_version)
    [ -n "$ver" ] || die "postgresql was installed but no server binaries were found under /usr/lib/postgresql"
  fi
  if [ ! -f "/usr/share/postgresql/$ver/extension/postgis.control" ]; then
    apt_install "postgresql-$ver-postgis-3"
  fi
  if [ ! -f "/usr/share/postgresql/$ver/extension/pg_trgm.control" ]; then
    apt_install postgresql-contrib
  fi
}

ensure_venv() {
  local stamp="$VENV/.geoservice-lock" want
  want=$(cat "$ROOT/requirements.lock" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtualenv .venv"
    python3 -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing Python dependencies from requirements.lock (first run takes a few minutes)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
      -r "$ROOT/requirements.lock" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
      -e "$ROOT" >&2
    echo "$want" > "$stamp"
  fi
}

ensure_assets() {
  # The Leaflet plugins of the map pages: pinned npm tarballs, hash-checked (geoservice/assets.py).
  "$VENV/bin/geoservice" assets install --quiet >&2
}

ensure_tools() {
  # Developer tools from npm (geoservice/assets.py TOOLS): pinned tarballs, hash-checked, once.
  # PYTHONPATH: the pins of this checkout, even when the virtualenv's editable install is another's
  PYTHONPATH="$ROOT" "$VENV/bin/python" "$ROOT/scripts/lib/install_tools.py" "$TOOLS" \
    || die "cannot install the developer tools"
}

setup_all() {
  # setup_all [EXTRA_DEBIAN_PACKAGE...]
  ensure_python
  ensure_postgis
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -gt 0 ] && apt_install "${missing[@]}"
  ensure_venv
  ensure_assets
}

run_with_database() {
  # run_with_database SCRIPT.py [ARG...]: run a Python script of scripts/ with the embedded
  # cluster running (started here and stopped afterwards if it was not running already).
  local started=0 script="$1"
  shift
  if [ -z "${GEOSERVICE_DATABASE_URL:-}" ] && ! "$VENV/bin/geoservice" db status --quiet; then
    "$VENV/bin/geoservice" db start
    started=1
  fi
  set +e
  "$VENV/bin/python" "$ROOT/scripts/$script" "$@"
  local rc=$?
  set -e
  if [ "$started" -eq 1 ]; then "$VENV/bin/geoservice" db stop --quiet || true; fi
  return $rc
}
