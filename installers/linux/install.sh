#!/bin/sh
# Installs Sổ tay for the current user: the program under ~/.local/share/SoTay-app and a menu
# entry. The branch data (~/.local/share/SoTay) is never touched by installing or removing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="${XDG_DATA_HOME:-$HOME/.local/share}/SoTay-app"
mkdir -p "$target" "${XDG_DATA_HOME:-$HOME/.local/share}/applications"
cp -a "$here/SoTay-"*/. "$target/"
sed "s#SOTAY_DIR#$target#g" "$here/sotay.desktop" \
  > "${XDG_DATA_HOME:-$HOME/.local/share}/applications/sotay.desktop"
echo "Đã cài Sổ tay vào $target"
