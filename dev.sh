#!/usr/bin/env bash
# Sets up everything ptdesk needs on this machine, then starts the app or runs the tests.
#   bash dev.sh app    start ptdesk on the demo clinic
#   bash dev.sh test   run the whole test suite
# Extra arguments are passed on (to ptdesk or to pytest).
set -euo pipefail
cd "$(dirname "$0")"

UV_VERSION="0.13.9"
# Debian packages: what Qt needs (offscreen rendering, fonts, the X11 window plugin), and the
# desktop-file validators the packaging tests run.
SYSTEM_PACKAGES=(
  libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 fonts-dejavu-core
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1
  # validators for the Linux desktop entry and AppStream metadata (packaging/linux, tested)
  appstream desktop-file-utils
)

need_system_packages() {
  command -v dpkg >/dev/null 2>&1 || return 0   # not Debian: see the README's notes
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system libraries for Qt: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

need_uv() {
  if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "Installing uv ${UV_VERSION} (the Python package manager ptdesk uses)"
    # Debian's own python3 refuses plain pip installs (PEP 668); a user install is allowed.
    python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}" 2>/dev/null \
      || python3 -m pip install --quiet --disable-pip-version-check --user "uv==${UV_VERSION}" 2>/dev/null \
      || python3 -m pip install --quiet --disable-pip-version-check --user \
           --break-system-packages "uv==${UV_VERSION}"
  fi
}

sync_env() {
  python3 -m uv sync --frozen --extra test --compile-bytecode --quiet
}

what="${1:-}"
[ $# -gt 0 ] && shift
case "$what" in
  app)
    need_system_packages; need_uv; sync_env
    exec python3 -m uv run --frozen ptdesk --demo "$@"
    ;;
  test)
    need_system_packages; need_uv; sync_env
    exec python3 -m uv run --frozen pytest "$@"
    ;;
  *)
    echo "usage: bash dev.sh app|test [arguments]" >&2
    exit 2
    ;;
esac
