#!/usr/bin/env bash
# Builds the desktop app into dist/ptdesk (dist/ptdesk.app on macOS) and starts it once offscreen.
#   bash packaging/build.sh                 build + smoke check
#   bash packaging/build.sh --installer     ... + the Windows installer (Git Bash on Windows)
# Any option of packaging/build.py may be given. Runs unchanged on Linux, macOS and Windows.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v uv >/dev/null 2>&1; then uv=(uv); else uv=(python3 -m uv); fi
exec "${uv[@]}" run --frozen --extra build python packaging/build.py --smoke "$@"
