"""``eval/added_plans.py`` end to end on a small subset: two fixture files (DOCX, plain text) added to a
copy of the corpus with ``rag add``'s path, four questions about them and four dev questions through
``rag eval``'s path, and the control run (the same plans from plain text); the report has its tables
and the answers cite the added plans."""
from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.conftest import FIXTURES, ROOT

QUESTIONS = FIXTURES / "ingest_questions.jsonl"  # N01-N03 about kon-tum.docx, N07 about ha-giang.txt


def _harness():
    spec = importlib.util.spec_from_file_location("added_plans", ROOT / "eval" / "added_plans.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run(tmp_path_factory, assistant, index_root):
    """The harness's own entry point; the session's embedding cache keeps the builds short."""
    import os

    def rag_env():
        return {k: v for k, v in os.environ.items() if k.startswith("RAG_")}

    before = rag_env()
    tmp = tmp_path_factory.mktemp("added-plans")
    report, figures, work = tmp / "added-plans.md", tmp / "figures.json", tmp / "work"
    report.write_text("old\n<!-- analysis: written by hand, kept by eval/added_plans.py -->\nHand-written: "
                      "kept.\n<!-- /analysis -->\n", encoding="utf-8")
    code = _harness().main(["--files", "kon-tum.docx,ha-giang.txt", "--questions", str(QUESTIONS), "--limit", "4",
                            "--cache-from", str(index_root / "cache"), "--keep", str(work), "--out", str(report),
                            "--json", str(figures)])
    assert code == 0
    assert rag_env() == before  # the configuration was pointed at the copy without touching the process
    return report.read_text(encoding="utf-8"), json.loads(figures.read_text(encoding="utf-8")), work


def test_report_has_the_figures_table_for_each_set(run):
    text, figures, _ = run
    sets = [(r["set"], r["corpus"]) for r in figures["runs"]]
    assert sets == [("ingest_questions", "four + added"), ("dev", "four + added"), ("dev", "four only"),
                    ("ingest_questions", "four + added as plain text")]  # the last: the control run
    assert all(r["summary"]["questions"] == 4 for r in figures["runs"])
    table = text.split("## Figures", 1)[1]
    assert ("| | ingest_questions (four + added) | dev (four + added) | dev (four only) | "
            "ingest_questions (four + added as plain text) |") in table
    for label in ("recall@1", "recall@5", "MRR@10", "facts named", "citation precision",
                  "abstains on the unanswerable", "false abstentions"):
        assert f"\n| {label} | " in table, label
    assert "## ingest_questions: by source format" in text and "\n| docx | 3 | " in text and "\n| txt | 1 | " in text
    assert "Hand-written: kept." in text and "\nold\n" not in text  # the analysis survives a rewrite


def test_parse_reports_of_the_added_files(run):
    text, figures, _ = run
    files = {f["file"]: f for f in figures["files"]}
    assert files["kon-tum.docx"]["plan_id"] == "kon-tum-2021-2025" and files["kon-tum.docx"]["format"] == "docx"
    assert files["kon-tum.docx"]["counts"]["appendix_rows"] == files["kon-tum.docx"]["expected_rows"] == 3
    assert files["ha-giang.txt"]["format"] == "txt" and files["ha-giang.txt"]["coverage"] > 0.95
    assert "| kon-tum.docx | docx | `kon-tum-2021-2025` |" in text


def test_control_run_reads_the_same_plans_from_plain_text(run):
    text, figures, _ = run
    control = figures["runs"][-1]["summary"]
    assert control["recall@5"] == 1.0 and control["answerable"] == 4
    assert "## Reading the file or answering?" in text and "\n| docx | 3 | " in text.split("## Reading", 1)[1]


def test_answers_cite_the_added_plans(run):
    from rag.eval.runs import RunStore

    _, figures, work = run
    added = next(r for r in RunStore(work / "runs").list() if r.meta.get("title", "").startswith("ingest_questions"))
    first = {rec["id"]: rec["citations"][0]["plan_id"] for rec in added.records if rec["citations"]}
    assert first.get("N01") == "kon-tum-2021-2025" and first.get("N07") == "ha-giang-2021-2025", first
    assert figures["runs"][0]["summary"]["recall@5"] == 1.0
