"""Metric code on small hand-made cases with known answers."""
from __future__ import annotations

import pytest

from rag.eval.dataset import EvalQuestion, GoldItem
from rag.eval.metrics import (citation_hits, gold_ranks, mentions_ok, percentile, reciprocal_rank, recall_at,
                              score_question, summarize)


def _hit(rank, plan, text):
    return {"rank": rank, "plan_id": plan, "clause": f"C{rank}", "path": "", "text": text, "score": 1.0 / rank}


RETRIEVED = [
    _hit(1, "ha-noi-2022-2025", "Sở Tài chính bố trí kinh phí."),
    _hit(2, "dong-nai-2026-2030", "Công an thành phố phối hợp qua kênh INTERPOL."),
    _hit(3, "ha-noi-2022-2025", "Công an Thành phố chủ trì;   phối hợp với\nViện kiểm sát."),
]


def test_hit_at_rank_three_gives_mrr_one_third():
    ranks = gold_ranks(RETRIEVED, (GoldItem("ha-noi", "chủ trì; phối hợp với Viện"),))
    assert ranks == [3]
    assert reciprocal_rank(ranks) == pytest.approx(1 / 3)
    assert recall_at(ranks, 1) == 0.0 and recall_at(ranks, 5) == 1.0


def test_quote_split_across_whitespace_and_case_still_matches():
    assert gold_ranks(RETRIEVED, (GoldItem("ha-noi", "PHỐI HỢP VỚI viện KIỂM sát"),)) == [3]


def test_plan_key_matches_by_prefix_only():
    assert gold_ranks(RETRIEVED, (GoldItem("dong-nai", "kênh INTERPOL"),)) == [2]
    assert gold_ranks(RETRIEVED, (GoldItem("ha-noi", "kênh INTERPOL"),)) == [None]
    assert gold_ranks(RETRIEVED, (GoldItem("nai", "kênh INTERPOL"),)) == [None]


def test_two_gold_items_half_found():
    ranks = gold_ranks(RETRIEVED, (GoldItem("ha-noi", "Sở Tài chính"), GoldItem("lai-chau", "Sở Tài chính")))
    assert ranks == [1, None] and recall_at(ranks, 5) == 0.5 and reciprocal_rank(ranks) == 1.0


def test_abstention_on_answerable_question_counts_as_a_miss():
    groups = (("Sở Tài chính",),)
    assert mentions_ok("Sở Tài chính bố trí kinh phí", groups, abstained=False)
    assert not mentions_ok("Sở Tài chính bố trí kinh phí", groups, abstained=True)
    assert mentions_ok("SỞ TÀI CHÍNH", groups, False)
    assert not mentions_ok("Sở Tài chính", (("Sở Tài chính",), ("chi thường xuyên", "ngân sách")), False)


def test_citation_precision_and_recall_counts():
    gold = (GoldItem("ha-noi", "bố trí kinh phí"), GoldItem("ha-noi", "không được trích"))
    cites = [{"plan_id": "ha-noi-2022-2025", "text": "Sở Tài chính bố trí kinh phí."},
             {"plan_id": "ha-noi-2022-2025", "text": "Một đoạn khác."}]
    assert citation_hits(cites, gold) == (1, 1, 2)


def test_percentile_nearest_rank():
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile([float(i) for i in range(1, 101)], 95) == 95
    assert percentile([], 50) == 0.0


def test_summary_over_answerable_and_unanswerable():
    answerable = EvalQuestion("A", "q", 1, gold=(GoldItem("ha-noi", "Sở Tài chính"),),
                              must_mention=(("Sở Tài chính",),), has_gold=True, type="agency")
    unanswerable = EvalQuestion("U", "q", 2, gold=(), has_gold=True, type="unanswerable")
    no_gold = EvalQuestion("N", "q", 3)
    good = {"answer": "Sở Tài chính [1]", "abstained": False, "latency_ms": 10,
            "citations": [{"plan_id": "ha-noi-2022-2025", "text": "Sở Tài chính bố trí kinh phí."}],
            "retrieved": RETRIEVED}
    abstain = {"answer": "Các kế hoạch không nêu.", "abstained": True, "latency_ms": 30, "citations": [],
               "retrieved": RETRIEVED}
    scores = [score_question(answerable, good), score_question(unanswerable, abstain), score_question(no_gold, good)]
    s = summarize(scores)
    assert s["answerable"] == 1 and s["unanswerable"] == 1 and s["questions"] == 3
    assert s["recall@1"] == 1.0 and s["mrr@10"] == 1.0 and s["must_mention_accuracy"] == 1.0
    assert s["citation_precision"] == 1.0 and s["citation_recall"] == 1.0
    assert s["abstention_rate_unanswerable"] == 1.0 and s["false_abstentions"] == 0
    assert s["latency_p50_ms"] == 10 and s["latency_p95_ms"] == 30
    assert all(x.passed for x in scores)
    missed = score_question(answerable, abstain)
    assert not missed.passed and summarize([missed])["false_abstentions"] == 1
