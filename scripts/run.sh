#!/usr/bin/env bash
# Sets everything up and starts the product.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/rag outline "$@"
