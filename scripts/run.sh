#!/usr/bin/env bash
# Sets everything up and starts the product: the chat page on http://127.0.0.1:7860
# (the index of the plans is built on first start). Extra arguments go to `rag serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/rag serve "$@"
