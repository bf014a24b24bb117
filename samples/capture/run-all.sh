#!/usr/bin/env bash
# run-all.sh [SCENARIO...] — regenerate samples/<scenario>/ for every (or the named) scenario.
# Each scenario is captured into a fresh temp folder and only then swapped in, so a failed
# capture leaves the committed sample untouched. Run as root (see README.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SAMPLES="$(dirname "$HERE")"
ALL=(pool-exhaustion rate-limited healthy many-runs)
(($#)) && ALL=("$@")
for s in "${ALL[@]}"; do
  tmp="$SAMPLES/.capture-$s.tmp"
  rm -rf "$tmp"
  start=$(date +%s)
  if ! bash "$HERE/capture.sh" "$s" "$tmp"; then
    rm -rf "$tmp"
    echo "run-all: capture of $s FAILED; samples/$s left as it was" >&2
    exit 1
  fi
  rm -rf "${SAMPLES:?}/$s"
  mv "$tmp" "$SAMPLES/$s"
  echo "run-all: samples/$s captured in $(($(date +%s) - start)) s, $(du -sh "$SAMPLES/$s" | cut -f1)" >&2
done
