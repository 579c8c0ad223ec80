#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs the project with everything it needs.
#   bash scripts/setup.sh            the product
#   bash scripts/setup.sh dev,llm    plus the test tools and the local LLM runtime
# Re-running is cheap: nothing is reinstalled while pyproject.toml and the extras are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv with $PY" >&2
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$( (cat pyproject.toml; echo "$extras") | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "[setup] installing the project into .venv${extras:+ with [$extras]} (the first run takes several minutes)" >&2
  pip_quiet() { .venv/bin/pip install --disable-pip-version-check -q "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
  # torch is pinned: an unpinned torch pulls gigabytes of CUDA packages
  pip_quiet "torch==2.13.0"
  # llama.cpp is compiled here; a portable build, so a cached wheel never meets a CPU it was not built for
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" pip_quiet -e ".${extras:+[$extras]}"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
