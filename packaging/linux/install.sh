#!/usr/bin/env bash
# Installs the built ptdesk for the current user (no root), or removes it again.
#   bash packaging/linux/install.sh [APP_FOLDER]    install (default: dist/ptdesk)
#   bash packaging/linux/install.sh --uninstall     remove the program, keep the clinic's data
# The program goes to ~/.local/lib/ptdesk, a link to ~/.local/bin, and the menu entry, icons
# and AppStream metadata to ~/.local/share. The clinic's data (~/.local/share/ptdesk, or
# $PTDESK_DATA_DIR) is never touched by either direction.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

APP_ID="org.ptdesk.ptdesk"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
prefix="$HOME/.local"
app_dir="$prefix/lib/ptdesk"
bin_link="$prefix/bin/ptdesk"
desktop_file="$share/applications/$APP_ID.desktop"
metainfo_file="$share/metainfo/$APP_ID.metainfo.xml"
icon_sizes=(16 22 24 32 48 64 128 256 512)

refresh_menus() {
  command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database -q "$share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 \
    && gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$app_dir"
  [ -L "$bin_link" ] && rm -f "$bin_link"
  rm -f "$desktop_file" "$metainfo_file" "$share/icons/hicolor/scalable/apps/ptdesk.svg"
  for size in "${icon_sizes[@]}"; do
    rm -f "$share/icons/hicolor/${size}x${size}/apps/ptdesk.png"
  done
  refresh_menus
  echo "ptdesk was removed. The clinic's data was kept in ${PTDESK_DATA_DIR:-$share/ptdesk}."
  exit 0
fi

source_dir="${1:-$root/dist/ptdesk}"
if [ ! -x "$source_dir/ptdesk" ]; then
  echo "No built ptdesk in $source_dir: run packaging/build.sh first." >&2
  exit 1
fi

mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/metainfo"
rm -rf "$app_dir.new"
cp -a "$source_dir" "$app_dir.new"
rm -rf "$app_dir"
mv "$app_dir.new" "$app_dir"
ln -sfn "$app_dir/ptdesk" "$bin_link"

# The menu entry starts the program by its full path: ~/.local/bin is not on every desktop's PATH.
sed "s|^Exec=ptdesk|Exec=$app_dir/ptdesk|" "$here/$APP_ID.desktop" >"$desktop_file"
cp "$here/$APP_ID.metainfo.xml" "$metainfo_file"
icons="$root/resources/icons"
for size in "${icon_sizes[@]}"; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$icons/hicolor/${size}x${size}/apps/ptdesk.png" "$share/icons/hicolor/${size}x${size}/apps/"
done
mkdir -p "$share/icons/hicolor/scalable/apps"
cp "$icons/ptdesk.svg" "$share/icons/hicolor/scalable/apps/ptdesk.svg"
refresh_menus
echo "ptdesk is installed: find it in the applications menu, or run $bin_link"
