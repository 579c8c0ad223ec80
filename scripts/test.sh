#!/usr/bin/env bash
# Sets everything up and runs the whole test suite (real models, real index, real server,
# a real browser, a real LLM, a real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "[test] installing Debian's chromium and fonts for the browser tests" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-core >/dev/null
fi
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  echo "[test] installing Tesseract OCR with its Vietnamese model (scanned plans in rag add)" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-vie fonts-dejavu-core >/dev/null
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  echo "[test] installing Debian's postgresql for the storage tests (a throwaway cluster per run)" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  # LibreOffice without its GUI (~15 s to install with --no-install-recommends on the dev machine) renders the
  # work plan DOCX to PDF; poppler reads the PDF back (tests/documents/test_workplan.py)
  echo "[test] installing LibreOffice (headless) and poppler to render the DOCX documents" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
    poppler-utils fonts-liberation >/dev/null
fi
bash scripts/setup.sh dev,llm
exec .venv/bin/python -m pytest tests "$@"
