#!/usr/bin/env bash
# Runs the built bundle as a user would, offscreen, on a fresh data folder:
# the command line makes a demo branch, exports a large-type packet and enrols with a sync
# server started here from the project's venv (loopback); the window starts, paints the
# roster and exits; then installers/smoke_gui.py, run by the bundle's own Python, opens every
# screen and the dialogs their buttons open, prints to PDF and syncs; installers/smoke_pdf.py
# imports encrypted PDFs (AES, RC4) with the bundle's pycryptodome. Fails on any error.
set -euo pipefail
bundle=${1:?usage: smoke_test.sh BUNDLE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
venv=${SOTAY_DEV_VENV:-$here/../.venv}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# No PYTHON_KEYRING_BACKEND: the bundle holds no Secret Service backend (installers/sotay.spec),
# so keyring finds none and the sync token must go into the folder's database (checked below).
unset PYTHON_KEYRING_BACKEND
export QT_QPA_PLATFORM=offscreen SOTAY_CONFIG_DIR="$work/config" XDG_CONFIG_HOME="$work/xdg"

"$bundle/sotay-cli" demo --data-dir "$work/branch" --members 40 --meetings 3
meeting=$("$bundle/sotay-cli" meeting list --data-dir "$work/branch" --json \
  | sed -n 's/.*"id": "\([0-9a-f-]*\)".*/\1/p' | head -n 1)
"$bundle/sotay-cli" packet "$meeting" --data-dir "$work/branch" --font-size 20 -o "$work/packet.pdf"
head -c 5 "$work/packet.pdf" | grep -q '%PDF-' || { echo "packet is not a PDF"; exit 1; }
"$bundle/sotay-cli" meeting export "$meeting" --what resolution --format docx \
  -o "$work/nq.docx" --data-dir "$work/branch"
start=$(date +%s.%N)
output=$(SOTAY_EXIT_AFTER_LOAD=1 "$bundle/SoTay" --data-dir "$work/branch")
echo "$output" | grep -q SOTAY_PAINTED || { echo "the window did not paint"; exit 1; }
painted=$(echo "$output" | sed -n 's/^SOTAY_PAINTED \(.*\)/\1/p')
echo "smoke test: first paint $(echo "$painted - $start" | bc) s after start"

# A sync server on loopback (the project's venv: the bundle holds no server), a province,
# a commune and a branch, and a one-time code for this PC.
export SOTAY_SERVER_DB="sqlite:///$work/server.db" SOTAY_SERVER_FILES_DIR="$work/files"
server="$venv/bin/sotay-server"
unit_id() { sed -n 's/.*"id": "\([^"]*\)".*/\1/p'; }
"$server" migrate >/dev/null
province=$("$server" org add --name "Tỉnh Thử" --level province --json | unit_id)
commune=$("$server" org add --name "Xã Thử" --level commune --parent "$province" --json | unit_id)
branch=$("$server" org add --name "Chi bộ Thử" --level branch --parent "$commune" --json | unit_id)
branch2=$("$server" org add --name "Chi bộ Thử Hai" --level branch --parent "$commune" --json | unit_id)
one_time_code() { "$server" device enroll --unit "$1" --json | sed -n 's/.*"code": "\([^"]*\)".*/\1/p'; }
code=$(one_time_code "$branch")
code2=$(one_time_code "$branch2")
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$server" serve --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  "$venv/bin/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" \
    2>/dev/null && break
  sleep 0.2
done
"$bundle/sotay-cli" enroll --data-dir "$work/branch" --server "http://127.0.0.1:$port" \
  --code "$code" --label smoke | tee "$work/enrolled"
grep -q 'database)' "$work/enrolled" || { echo "the sync token is not in the folder's database"; exit 1; }
# a password-protected folder (Argon2 and SQLCipher in the bundle), read back with the password
"$bundle/sotay-cli" demo --data-dir "$work/protected" --members 5 --meetings 1 >/dev/null
echo "mat-khau-thu-nghiem" >"$work/password"
"$bundle/sotay-cli" profile create --data-dir "$work/protected" --password-file "$work/password" >/dev/null
"$bundle/sotay-cli" members list --data-dir "$work/protected" --password-file "$work/password" \
  --json | grep -q '"id"' || { echo "the protected folder cannot be read"; exit 1; }
# enrolled and synced: its token in its own database, encrypted with the rest
"$bundle/sotay-cli" enroll --data-dir "$work/protected" --password-file "$work/password" \
  --server "http://127.0.0.1:$port" --code "$code2" --label smoke-protected >"$work/enrolled2"
grep -q 'database)' "$work/enrolled2" || { echo "the protected folder's token is not in its database"; exit 1; }
"$bundle/sotay-cli" sync --data-dir "$work/protected" --password-file "$work/password" >/dev/null
if grep -rq sync_device_token "$work/protected"; then echo "the token's row is readable in clear"; exit 1; fi
# PDFs sent down from above, locked against editing only (AES-256, AES-128, RC4) and one with
# a real password: imported with pycryptodome's AES (pypdf's only one here), the last refused
"$venv/bin/python" "$here/smoke_pdf.py" make "$work/pdfs"
"$bundle/sotay-cli" demo --data-dir "$work/documents" --members 5 --meetings 1 >/dev/null
"$bundle/SoTay" --smoke "$here/smoke_pdf.py" read "$work/documents" "$work/pdfs" \
  || { echo "the encrypted PDFs were not read as they should be"; exit 1; }
mkdir -p "$work/out"
"$bundle/SoTay" --smoke "$here/smoke_gui.py" "$work/branch" "$work/packet.pdf" "$work/out" \
  "$work/protected" "$work/password" \
  || { echo "the window's smoke test failed"; tail -n 20 "$work/server.log"; exit 1; }
head -c 5 "$work/out/printed.pdf" | grep -q '%PDF-' || { echo "nothing was printed to PDF"; exit 1; }
echo "smoke test passed"
