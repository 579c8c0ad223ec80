"""A scan covered in specks (dust, grain) is cleaned before OCR (``rag.ingest.despeckle``), and only then."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from rag.ingest.despeckle import despeckle, specks
from tests.conftest import FIXTURES

DPI = 300


def _page() -> np.ndarray:
    """White A4 at 300 dpi: forty lines of 'words' (dark bars), 'diacritic' dots of 4×4 px, a thin rule."""
    page = np.full((3508, 2480), 255, np.uint8)
    rng = np.random.default_rng(5)
    for k in range(40):
        y, x = 300 + k * 70, 250
        while x < 2200:
            word = int(rng.integers(60, 220))
            page[y:y + 28, x:x + word] = 30
            page[y + 34:y + 38, x + 10:x + 14] = 30  # a dot under a letter
            x += word + 25
    page[3300:3303, 250:2200] = 0
    return page


def test_a_clean_page_is_returned_as_it_was():
    page = _page()
    assert specks(page, DPI)[0] == 0
    cleaned, found = despeckle(page, DPI)
    assert found == 0 and cleaned is page


def test_specks_are_removed_and_the_marks_of_the_page_kept():
    page = _page()
    dusty = page.copy()
    rng = np.random.default_rng(7)
    dusty[rng.random(page.shape) < 0.001] = 0  # about 8,700 one-pixel specks
    found, _ = specks(dusty, DPI)
    assert found > 5000
    cleaned, removed = despeckle(dusty, DPI)
    assert removed == found and specks(cleaned, DPI)[0] < 50
    from scipy import ndimage

    band = slice(330, 342)  # the dots under the first line of words
    assert ndimage.label(cleaned[band] < 160)[1] == ndimage.label(page[band] < 160)[1]  # every dot is kept
    assert (cleaned[3300:3303, 250:2200] < 160).mean() > 0.95  # and the rule


def test_a_few_specks_are_left_alone():
    dusty = _page()
    dusty[100, 100:2000:20] = 0  # 95 specks: not worth filtering a page
    assert despeckle(dusty, DPI)[1] == 0


@pytest.mark.slow  # Tesseract
@pytest.mark.parametrize("clean_first", [True, False])
def test_a_dusty_scan_keeps_its_appendix_table(tmp_path, clean_first):
    sys.path.insert(0, str(FIXTURES))
    from ingest_plans import PLANS
    from make_fixtures import write_scan

    from rag.ingest.ocr import OcrEngine
    from rag.models import PlanInfo
    from rag.structure.parser import parse_plan

    path = tmp_path / "an-khe.pdf"
    write_scan(PLANS["an-khe"], path, angle=0.8, noise=8, blur=0.6, quality=70, dust=0.002)
    text = OcrEngine(despeckle=clean_first).run(path).text
    plan = parse_plan(PlanInfo(id="an-khe", file="an-khe.txt", title="an-khe", short_name="An Khê"), text)
    expected = {row[2] for row in PLANS["an-khe"].table if len(row) > 2}  # the leads the table was written with
    rows = [c for c in plan.clauses if c.level == "row"]
    right = sum(c.lead in expected for c in rows)
    if clean_first:
        assert len(rows) == 10 and right >= 8, [(c.address, c.lead) for c in rows]
    else:  # the previous design: the specks turn the cells into junk
        assert right < 5, [(c.address, c.lead) for c in rows]
