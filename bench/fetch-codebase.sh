#!/bin/sh
# Brings the scale benchmark's code base onto this machine (needs network and git; not run in CI):
# medusajs/medusa at a pinned commit, only its packages/ and integration-tests/ folders
# (6,238 files, 5,738 of them TS/JS, ~494k lines), without .git. Never commit it.
#
#   bench/fetch-codebase.sh <dir>
#   ARCHLINT_SCALE_TREE=<dir> node bench/run.mjs scale
#
# ARCHLINT_SCALE_REPO overrides where it is fetched from (e.g. a local mirror of the repository).
set -eu

COMMIT=59e6747800133e091d20c2c167f600981abc5c0d
REPO=${ARCHLINT_SCALE_REPO:-https://github.com/medusajs/medusa.git}
FOLDERS="packages integration-tests"

if [ $# -ne 1 ]; then
  echo "usage: $0 <dir>   (fetches medusajs/medusa@$COMMIT: $FOLDERS)" >&2
  exit 2
fi
dest=$1
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "$0: $dest exists and is not empty; give a new or empty folder" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# A shallow fetch of the one commit (GitHub serves any commit by its hash), then only the two
# folders, written out by git archive so that no .git folder lands in the code base.
git init -q "$tmp"
git -C "$tmp" fetch -q --depth 1 "$REPO" "$COMMIT"
got=$(git -C "$tmp" rev-parse FETCH_HEAD)
if [ "$got" != "$COMMIT" ]; then
  echo "$0: fetched $got, expected $COMMIT" >&2
  exit 1
fi
mkdir -p "$dest"
# shellcheck disable=SC2086 # FOLDERS is a list of paths
git -C "$tmp" archive --format=tar FETCH_HEAD $FOLDERS | tar -x -C "$dest"

files=$(find "$dest" -type f | wc -l | tr -d ' ')
echo "medusajs/medusa@$COMMIT ($FOLDERS): $files files in $dest"
echo "run: ARCHLINT_SCALE_TREE=$dest node bench/run.mjs scale"
