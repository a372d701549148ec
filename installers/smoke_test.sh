#!/usr/bin/env bash
# Runs the built bundle as a user would, offscreen, on a fresh data folder:
# the command line makes a demo branch and exports a large-type packet; the window starts,
# paints the roster and exits. Fails on any error.
set -euo pipefail
bundle=${1:?usage: smoke_test.sh BUNDLE_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen SOTAY_CONFIG_DIR="$work/config" PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring

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
echo "smoke test passed: first paint $(echo "$painted - $start" | bc) s after start"
