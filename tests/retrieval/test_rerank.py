"""The learned ranker's model file: the shipped one loads; a missing or stale one leaves the
fused order, with a warning; and it reorders a real retrieval on a plan added after training."""
from __future__ import annotations

import json
import logging
import shutil

import pytest

from rag.retrieval.features import FEATURE_NAMES
from rag.retrieval.rerank import DEFAULT_MODEL, LearnedRanker, RankerModelError, load_model
from tests.conftest import FIXTURES


def test_shipped_model_loads_with_its_feature_list():
    model, header = load_model(DEFAULT_MODEL)
    assert tuple(header["features"]) == FEATURE_NAMES
    assert header["kind"] in ("lightgbm", "linear") and header["questions"] > 100
    assert model.predict(__import__("numpy").zeros((3, len(FEATURE_NAMES)))).shape == (3,)


def test_missing_model_keeps_the_fused_order(corpus, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="rag.retrieval.rerank"):
        ranker = LearnedRanker(corpus, tmp_path / "absent.json")
    assert not ranker.ready
    assert "missing" in caplog.text and "fused order" in caplog.text
    ranking = [(0, 0.9), (1, 0.5), (2, 0.1)]
    assert ranker.rerank(None, ranking, [], [], []) == ranking


def test_model_trained_on_other_features_is_refused(tmp_path):
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RankerModelError, match="other features"):
        load_model(stale)
    # same names, older meaning: a model trained before a feature changed meaning (FEATURES_VERSION) is refused
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    data["features_version"] = str(int(data["features_version"]) - 1)
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RankerModelError, match="retrain"):
        load_model(stale)
    stale.write_text("{not json", encoding="utf-8")
    with pytest.raises(RankerModelError, match="not valid JSON"):
        load_model(stale)


@pytest.fixture(scope="module")
def fifth(tmp_path_factory, settings):
    """A plan added after the model was trained (tests/fixtures/fifth-plan), with the learned ranker on."""
    from rag.pipeline import Assistant

    corpus_dir = tmp_path_factory.mktemp("fifth-corpus-ranker")
    for f in (FIXTURES / "fifth-plan").iterdir():
        shutil.copy(f, corpus_dir / f.name)
    return Assistant(settings.replace(corpus_dir=corpus_dir, index_dir=tmp_path_factory.mktemp("fifth-index-ranker"),
                                      ranker="learned"))


QUESTIONS = [  # (question, the clauses that answer it)
    ("Sở Công Thương tỉnh Sơn Hà phải làm gì?", {"II.1-1", "II.1-2"}),
    ("Hội Nông dân tỉnh có nhiệm vụ gì?", {"II.2-1", "PL.I.1"}),
    ("Ai chủ trì xây dựng điểm tư vấn cho công nhân tại khu công nghiệp?", {"PL.I.2", "II.3-1"}),
    ("Cơ quan nào phối hợp tuyên truyền kỹ năng giám sát con em cho hội viên nông dân?", {"PL.I.1"}),
    ("Bộ Chỉ huy Quân sự tỉnh làm gì?", {"II.4-1"}),
]


def test_shipped_model_reranks_a_plan_added_later(fifth):
    searcher = fifth.searcher()
    assert searcher.reranker is not None and searcher.reranker.ready
    changed = 0
    for question, right in QUESTIONS:
        analysis = fifth.analyze(question)
        fused = searcher.search(analysis.text, None, 10, scope=analysis.scope)
        learned = searcher.search(analysis.text, None, 10, scope=analysis.scope, analysis=analysis)
        assert {h.passage.id for h in learned.hits} <= {h.passage.id for h in
                                                        searcher.search(analysis.text, None, 30, scope=analysis.scope).hits}
        scores = [h.score for h in learned.hits]
        assert scores == sorted(scores, reverse=True)  # scores still fall with rank
        assert learned.hits[0].passage.clause in right, (question, [h.passage.clause for h in learned.hits[:3]])
        changed += [h.passage.id for h in fused.hits] != [h.passage.id for h in learned.hits]
    assert changed  # the model does reorder, not only agree with the fused order
