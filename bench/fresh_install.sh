#!/usr/bin/env bash
# A real `pip install <clone>` (not -e) into a fresh venv, then `tifa ingest` of the seeds and
# `tifa discover --accept` from another folder; lists what was written inside site-packages
# (nothing, expected), in the working folder (nothing) and under the user folders.
#   bash bench/fresh_install.sh [WORK_DIR]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-$(mktemp -d)}
mkdir -p "$W/elsewhere" "$W/home"
git clone -q "$REPO" "$W/clone"
python3 -m venv "$W/venv"
"$W/venv/bin/pip" install -q "$W/clone"
SITE=$("$W/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
find "$SITE" -type f -not -path "*__pycache__*" | sort > "$W/before.txt"
cd "$W/elsewhere"
export HOME="$W/home" XDG_DATA_HOME="$W/home/data" XDG_CACHE_HOME="$W/home/cache"
unset TIFA_STORE TIFA_USER_LEXICON TIFA_DATA TIFA_CACHE_DIR
"$W/venv/bin/tifa" ingest "$REPO/data/raw/seeds"
"$W/venv/bin/tifa" discover --accept 老树发新枝 --kind image
find "$SITE" -type f -not -path "*__pycache__*" | sort > "$W/after.txt"
echo "new files inside site-packages:"; comm -13 "$W/before.txt" "$W/after.txt"
echo "files in the working folder:"; ls -A "$W/elsewhere"
echo "written under the user folders:"; find "$W/home" -type f
