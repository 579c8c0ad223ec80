"""A scan whose page lay askew on the glass: the angle is found and the page turned straight
(``rag.ingest.deskew``), so the ruled appendix table is read as from a straight scan."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from scipy import ndimage

from rag.ingest.deskew import MIN_DEGREES, skew_angle, straighten
from tests.conftest import FIXTURES

DPI = 300


def _page() -> np.ndarray:
    """A white A4 page at 300 dpi with forty 'lines of text' (dark bars broken into words) and a ruled box."""
    page = np.full((3508, 2480), 255, np.uint8)
    rng = np.random.default_rng(3)
    for k in range(40):
        y = 300 + k * 70
        x = 250
        while x < 2200:
            word = int(rng.integers(60, 220))
            page[y:y + 28, x:x + word] = 30
            x += word + 25
    page[3300:3303, 250:2200] = 0
    return page


def _rule_rows(gray: np.ndarray) -> int:
    """Pixel rows the long rule at the bottom spans (1-3 when straight)."""
    band = gray[3150:3450, 400:2000] < 160
    return int(band.any(axis=1).sum())


@pytest.mark.parametrize("degrees", [0.8, -1.5, 2.4])
def test_the_angle_a_page_was_turned_by_is_found_and_undone(degrees):
    turned = ndimage.rotate(_page(), degrees, reshape=False, order=1, cval=255).astype(np.uint8)
    assert _rule_rows(turned) > 20  # askew, the rule crosses many pixel rows
    assert skew_angle(turned, DPI) == pytest.approx(-degrees, abs=0.1)
    straight, angle = straighten(turned, DPI)
    assert angle == pytest.approx(-degrees, abs=0.1)
    assert _rule_rows(straight) <= 6


def test_a_straight_page_is_returned_as_it_was():
    page = _page()
    straight, angle = straighten(page, DPI)
    assert angle == 0.0 and straight is page
    nearly = ndimage.rotate(page, MIN_DEGREES / 3, reshape=False, order=1, cval=255).astype(np.uint8)
    assert straighten(nearly, DPI)[1] == 0.0  # too little to be worth resampling the page


def test_a_blank_page_has_no_angle():
    assert skew_angle(np.full((3508, 2480), 255, np.uint8), DPI) == 0.0


@pytest.mark.slow  # Tesseract
@pytest.mark.parametrize("straight_first", [True, False])
def test_an_askew_scan_keeps_its_appendix_table(tmp_path, straight_first):
    sys.path.insert(0, str(FIXTURES))
    from ingest_plans import PLANS
    from make_fixtures import write_scan

    from rag.ingest.ocr import OcrEngine
    from rag.models import PlanInfo
    from rag.structure.parser import parse_plan

    path = tmp_path / "an-khe.pdf"
    write_scan(PLANS["an-khe"], path, angle=0.8)
    text = OcrEngine(straighten=straight_first).run(path).text
    plan = parse_plan(PlanInfo(id="an-khe", file="an-khe.txt", title="an-khe", short_name="An Khê"), text)
    rows = [c for c in plan.clauses if c.level == "row"]
    if straight_first:  # every row, with its own lead (a number cell OCR garbles is numbered by its place)
        leads = {c.address: c.lead for c in rows}
        assert len(rows) == 10, leads
        assert leads["PL.I.1"] == "Sở Y tế" and leads["PL.II.4"] == "Sở Khoa học và Công nghệ", leads
        assert leads["PL.II.6"] == "Sở Nội vụ", leads
    else:  # the previous design: the askew rules are not found and the table is lost
        assert len(rows) < 5
