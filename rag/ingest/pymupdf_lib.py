"""PyMuPDF, imported without its optional layout model.

PyMuPDF 2 loads an ONNX page-layout model when ``pymupdf.layout`` is importable (about 2–3 s
per process here, and about 2 s a page in ``find_tables``). The plans' text and ruled tables do
not need it, so its import is blocked before PyMuPDF is first imported.
"""
from __future__ import annotations

import sys


def pymupdf():
    if "pymupdf" not in sys.modules:
        sys.modules.setdefault("pymupdf.layout", None)  # None in sys.modules makes the import fail
    import pymupdf as module

    if hasattr(module, "no_recommend_layout"):
        module.no_recommend_layout()  # else it prints an advertisement for the layout package on stdout
    return module
