"""Kept runs: saved whole (settings without secrets, index version, product version, questions,
results, summary, report), listed per owner, and compared."""
from __future__ import annotations

import json

import pytest

from rag.eval.compare import compare_runs, render_comparison
from rag.eval.dataset import load_questions
from rag.eval.runner import RunConfig, run
from rag.eval.runs import RunNotFound, RunStore
from tests.conftest import DEV_SET


@pytest.fixture(scope="module")
def two_runs(assistant, settings, corpus, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("runs-test")
    qset = load_questions(DEV_SET, corpus.plan_ids)
    qset.questions = qset.questions[:12]
    store = RunStore(tmp / "runs")
    names = {p.id: p.info.short_name for p in corpus.plans}
    saved = []
    for retriever, owner in (("hybrid", "an"), ("lexical", "an"), ("dense", "binh")):
        out = tmp / f"{retriever}.jsonl"
        result = run(assistant, qset, out, RunConfig(retriever), progress=False, questions_file="dev.jsonl")
        saved.append(store.save(result, qset, out, settings=settings.replace(llm_api_key="sk-secret"),
                                index_path=assistant.index.path, short_names=names, owner=owner))
    return store, saved


def test_a_run_is_kept_whole(two_runs):
    store, (a, _, _) = two_runs
    files = sorted(p.name for p in a.path.iterdir())
    assert files == ["questions.jsonl", "report.json", "report.md", "results.jsonl", "run.json", "summary.json"]
    meta = json.loads((a.path / "run.json").read_text(encoding="utf-8"))
    assert len(meta["index_version"]) == 16 and meta["product_version"] and meta["status"] == "done"
    assert meta["settings"]["retriever"] == "hybrid" and "llm_api_key" not in meta["settings"]
    assert "sk-secret" not in (a.path / "run.json").read_text(encoding="utf-8")
    reloaded = store.load(a.id)
    assert len(reloaded.records) == 12 and [q.id for q in reloaded.questions] == [r["id"] for r in reloaded.records]
    assert reloaded.summary == a.summary and reloaded.summary["questions"] == 12
    assert not list(store.root.glob(".tmp-*"))  # the temporary folder was renamed into place


def test_each_owner_sees_only_their_runs(two_runs):
    store, (a, b, c) = two_runs
    assert {r.id for r in store.list(owner="an")} == {a.id, b.id}
    assert [r.id for r in store.list(owner="binh")] == [c.id]
    assert len(store.list()) == 3
    with pytest.raises(RunNotFound):
        store.load("../etc")
    with pytest.raises(RunNotFound):
        store.load("khong-co")


def test_compare_lists_changes_and_metric_deltas(two_runs):
    _, (a, _, c) = two_runs
    same = compare_runs(a, a)
    assert same.worse == [] and same.better == [] and same.citations_changed == [] and same.unchanged == 12
    assert all(m.delta in (0, None) for m in same.metrics if "latency" not in m.key)
    diff = compare_runs(a, c)  # hybrid vs dense: dense finds less
    r5 = next(m for m in diff.metrics if m.key == "recall@5")
    assert r5.a == a.summary["recall@5"] and r5.b == c.summary["recall@5"]
    changed = diff.worse + diff.better + diff.citations_changed
    assert changed and len(changed) + diff.unchanged == 12
    for q in diff.worse:
        assert q.passed_a and not q.passed_b
    md = render_comparison(diff)
    assert a.id in md and c.id in md and "| Recall@5 |" in md
    for q in diff.worse:
        assert f"| {q.id} |" in md


class _RecordsHistory:
    """The real assistant, as it will be once `ask` takes the conversation so far: it notes what it got."""

    def __init__(self, assistant):
        self._a, self.index, self.corpus, self.seen = assistant, assistant.index, assistant.corpus, []

    def ask(self, question, plan_ids=None, retriever=None, answerer="default", history=None):
        self.seen.append(history)
        return self._a.ask(question, plan_ids, retriever, answerer)


def test_history_is_passed_when_ask_takes_it(assistant, corpus, tmp_path):
    from rag.eval.dataset import parse_questions
    from rag.eval.runner import takes_history
    from tests.eval.sheets import xlsx_bytes

    qset = parse_questions(xlsx_bytes([["id", "câu hỏi", "câu hỏi trước"],
                                       ["H1", "Còn Đồng Nai thì sao?", "Hà Nội giao ai chủ trì?\nSở nào phối hợp?"],
                                       ["H2", "Sở Tài chính Hà Nội làm gì?", ""]]), corpus.plan_ids, "h.xlsx")
    wrapped = _RecordsHistory(assistant)
    assert takes_history(wrapped)
    run(wrapped, qset, tmp_path / "h.jsonl", RunConfig(), progress=False)
    assert wrapped.seen == [["Hà Nội giao ai chủ trì?", "Sở nào phối hợp?"], None]


class _FailsOnce:
    """The real assistant, with one question that breaks inside it (as a bug would)."""

    def __init__(self, assistant, breaks: str):
        self._a, self.index, self.corpus, self.breaks = assistant, assistant.index, assistant.corpus, breaks

    def ask(self, question, plan_ids=None, retriever=None, answerer="default", history=None):
        if question == self.breaks:
            raise AttributeError("'NoneType' object has no attribute 'startswith'")
        return self._a.ask(question, plan_ids, retriever, answerer, history=history)


def test_a_question_that_breaks_is_recorded_and_the_run_goes_on(assistant, corpus, tmp_path, caplog):
    qset = load_questions(DEV_SET, corpus.plan_ids)
    qset.questions = qset.questions[:3]
    out = tmp_path / "r.jsonl"
    result = run(_FailsOnce(assistant, qset.questions[1].question), qset, out, RunConfig(), progress=False)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [q.id for q in qset.questions]
    assert rows[1]["error"] and rows[1]["answer"].startswith("⚠️") and not rows[1]["citations"]
    assert rows[0]["citations"] and rows[2]["citations"]
    assert result["summary"]["questions"] == 3 and "answering" in caplog.text
