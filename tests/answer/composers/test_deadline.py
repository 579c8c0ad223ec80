from dataclasses import replace

from rag.answer.composers.deadline import DeadlineFocusComposer
from tests.answer.synthetic import P, binh_lam, context


def _close(ctx, score: float):
    """The second clause found scored ``score`` of the first."""
    first, second = ctx.ranked[:2]
    ctx.ranked = [first, replace(second, hit=replace(second.hit, score=first.score * score)), *ctx.ranked[2:]]
    return ctx


def test_a_close_clause_that_states_the_rhythm_goes_before_one_that_states_none():
    ctx = _close(context("Giáo viên được tập huấn kỹ năng số theo nhịp nào?", [binh_lam()], [(P, "I.1"), (P, "II.2")]),
                 0.9)
    DeadlineFocusComposer().compose(ctx)
    assert ctx.ranked[0].clause.address == "II.2"  # "… hằng năm"


def test_a_far_clause_is_not_put_first_for_stating_a_time():
    ctx = _close(context("Giáo viên được tập huấn kỹ năng số theo nhịp nào?", [binh_lam()], [(P, "I.1"), (P, "II.2")]),
                 0.5)
    DeadlineFocusComposer().compose(ctx)
    assert ctx.ranked[0].clause.address == "I.1"
