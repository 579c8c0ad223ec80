"""A scanned page that lay a little askew on the glass, turned straight before OCR.

Tesseract copes with a small skew in running text. The ruled-table reader (``ruling``) does not:
it finds a ruling line as a long run of dark pixels along one pixel row, and a page turned by
0.8° moves a 17 cm rule by 2.4 mm (28 pixels at 300 dpi), so no row holds the run and the
appendix table is lost. The angle is the one that makes the page's ink fall into the sharpest
horizontal bands (the projection-profile method), searched coarse to fine on a 75 dpi copy of the
page. Written with numpy and scipy, which the product already has. OpenCV or Leptonica would add
a large dependency for about twenty lines of code.
"""
from __future__ import annotations

import numpy as np

from rag.ingest.ruling import INK

MAX_DEGREES = 3.0  # a page turned further than this is not a skew the glass makes; left alone
MIN_DEGREES = 0.15  # a page turned less than this is left as it is (no resampling of a straight page)
_WORK_DPI = 75  # the angle is searched on a copy this coarse
_COARSE, _FINE = 0.25, 0.05  # degrees between the angles tried in the two passes


def _sharpness(ink: np.ndarray, degrees: float) -> float:
    """How sharply the ink falls into horizontal bands once turned by ``degrees``."""
    from scipy import ndimage

    profile = ndimage.rotate(ink, degrees, reshape=False, order=1, cval=0.0).sum(axis=1)
    return float(np.square(np.diff(profile)).sum())


def skew_angle(gray: np.ndarray, dpi: int) -> float:
    """The angle (degrees, for ``straighten``) that makes the page's lines of text horizontal; 0.0
    for a page with too little ink to tell."""
    step = max(1, round(dpi / _WORK_DPI))
    h, w = (gray.shape[0] // step) * step, (gray.shape[1] // step) * step
    small = gray[:h, :w].reshape(h // step, step, w // step, step).mean(axis=(1, 3))
    ink = (small < INK).astype(np.float32)
    if ink.sum() < 0.002 * ink.size:
        return 0.0
    coarse = np.arange(-MAX_DEGREES, MAX_DEGREES + 1e-9, _COARSE)
    best = max(coarse, key=lambda a: _sharpness(ink, a))
    fine = np.arange(best - _COARSE, best + _COARSE + 1e-9, _FINE)
    return round(float(max(fine, key=lambda a: _sharpness(ink, a))), 2)


def straighten(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """The page turned straight, and the angle it was turned by (0.0: returned as it was)."""
    from scipy import ndimage

    angle = skew_angle(gray, dpi)
    if abs(angle) < MIN_DEGREES or abs(angle) >= MAX_DEGREES:
        return gray, 0.0
    turned = ndimage.rotate(gray, angle, reshape=False, order=1, cval=255, prefilter=False)
    return np.ascontiguousarray(turned.astype(np.uint8)), angle
