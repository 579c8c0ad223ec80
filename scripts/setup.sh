#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs the project with everything it needs.
# Re-running is cheap: nothing is reinstalled while pyproject.toml is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv with $PY" >&2
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "[setup] installing the project into .venv (first run takes a few minutes)" >&2
  # torch is pinned: an unpinned torch pulls gigabytes of CUDA packages
  .venv/bin/pip install --disable-pip-version-check -q "torch==2.13.0"
  .venv/bin/pip install --disable-pip-version-check -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
