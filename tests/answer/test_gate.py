"""The evidence gate on made-up clauses (no index: every missing word counts as specific)."""
from rag.answer.composers.base import Abstention
from rag.answer.gate import EvidenceGate, GateSettings, asked_part, refuses
from tests.answer.synthetic import P, binh_lam, context

SETTINGS = GateSettings(min_relative_bm25=0.3, min_coverage=0.3, min_cosine_english=0.8, min_cosine_on_topic=0.875,
                        max_specific_df=0.005,
                        min_support=0.67, min_support_premise=1.0)


def _gate():
    return EvidenceGate(SETTINGS, {"binh", "lam"})


def test_supported_question_passes():
    ctx = context("Giáo viên được tập huấn kỹ năng số thế nào?", [binh_lam()], [(P, "II.2")])
    m = _gate().measure(ctx, ctx.ranked[:1])
    assert m.support == 1.0
    assert _gate().unsupported(ctx, m, ctx.ranked[:1]) is None


def test_a_clause_sharing_words_but_not_the_thing_asked_is_refused():
    ctx = context("Giáo viên được cấp chứng chỉ hành nghề tư vấn tâm lý thế nào?", [binh_lam()], [(P, "II.2")])
    m = _gate().measure(ctx, ctx.ranked[:1])
    out = _gate().unsupported(ctx, m, ctx.ranked[:1])
    assert isinstance(out, Abstention) and out.reason == "unsupported"
    assert "chứng chỉ" in out.message


def test_only_generic_words_is_nothing_asked():
    ctx = context("Kế hoạch nói gì?", [binh_lam()], [(P, "II.2")])
    m = _gate().measure(ctx, ctx.ranked[:1], support=False)
    out = _gate().off_topic(ctx, m)
    assert isinstance(out, Abstention) and out.reason == "nothing-asked"


def test_low_scores_are_off_topic():
    ctx = context("Giá vé xe buýt nội thành?", [binh_lam()], [(P, "II.2")])
    ctx.result = type(ctx.result)(ctx.result.hits, ctx.result.scope, ctx.result.plan_ids, {}, {}, 0.0)
    out = _gate().off_topic(ctx, _gate().measure(ctx, ctx.ranked[:1], support=False))
    assert isinstance(out, Abstention) and out.reason == "off-topic"


def test_one_missing_syllable_is_too_little_to_refuse():
    assert not refuses(("tap",), 0.5, 0.6)
    assert refuses(("chung_chi",), 0.5, 0.6)


def test_a_long_question_asks_in_its_last_part():
    story = ("Con tôi học lớp 5, dạo này hay thức khuya chơi điện thoại và tôi rất lo lắng vì không biết con "
             "xem gì trên mạng. Nhà trường có tổ chức dạy kỹ năng an toàn trên mạng không?")
    assert asked_part(story) == "Nhà trường có tổ chức dạy kỹ năng an toàn trên mạng không?"
    # a story closed by a semicolon, then what is asked
    assert asked_part("Con tôi bị bạn bè bắt nạt trên mạng; trường có giúp gì cho cháu không?") == \
        "trường có giúp gì cho cháu không?"


def test_an_action_worded_differently_is_no_reason_to_refuse():
    """Only the things asked about (nouns) count: the clause says "tập huấn kỹ năng số", the
    question wraps it in verbs and link words the plans never use."""
    ctx = context("Giáo viên mà trường dự định cử đi sẽ được tập huấn kỹ năng số gì?", [binh_lam()], [(P, "II.2")])
    m = _gate().measure(ctx, ctx.ranked[:1])
    assert "du_dinh" not in m.things and "ma" not in m.things
    assert _gate().unsupported(ctx, m, ctx.ranked[:1]) is None


def test_without_diacritics_only_syllables_side_by_side_count():
    ctx = context("giao vien lo viec web gi", [binh_lam()], [(P, "II.2")])
    assert _gate().measure(ctx, ctx.ranked[:1]).things == ()
    ctx = context("giao vien duoc tang xe dap khong", [binh_lam()], [(P, "II.2")])
    assert {"xe", "dap"} <= set(_gate().measure(ctx, ctx.ranked[:1]).things)


def test_everyday_words_are_on_topic_when_the_meaning_is_close():
    """Few shared words (low BM25 and coverage) but a close dense match: not off topic."""
    ctx = context("Thằng cu nhà tôi nghiện game, tỉnh bắt đại lý làm gì?", [binh_lam()], [(P, "II.2")])
    low = type(ctx.result)(ctx.result.hits, ctx.result.scope, ctx.result.plan_ids, {"x": 0.86}, {}, 0.0)
    close = type(ctx.result)(ctx.result.hits, ctx.result.scope, ctx.result.plan_ids, {"x": 0.89}, {}, 0.0)
    ctx.result = low
    assert _gate().off_topic(ctx, _gate().measure(ctx, ctx.ranked[:1], support=False)).reason == "off-topic"
    ctx.result = close
    assert _gate().off_topic(ctx, _gate().measure(ctx, ctx.ranked[:1], support=False)) is None


def test_an_agency_the_named_plan_gives_no_work_is_refused_whatever_else_matches():
    # Sở Y tế and Công an tỉnh (a partner in the appendix) have work in Bình Lâm; Sở Tư pháp has none there
    ctx = context("Theo kế hoạch Bình Lâm, Sở Tư pháp phối hợp với ai để tư vấn tâm lý cho trẻ em?",
                  [binh_lam()], [(P, "III.2.a")])
    out = _gate().agency_absent(ctx)
    assert isinstance(out, Abstention) and out.reason == "agency-absent" and "Sở Tư pháp" in out.message
    ctx = context("Theo kế hoạch Bình Lâm, Công an tỉnh phối hợp với ai?", [binh_lam()], [(P, "PL.1")])
    assert _gate().agency_absent(ctx) is None
    ctx = context("Theo kế hoạch Bình Lâm, Sở Y tế phối hợp tư vấn tâm lý cho ai?", [binh_lam()], [(P, "III.2.a")])
    assert _gate().agency_absent(ctx) is None


def test_the_agency_asked_at_work_in_the_best_clause_is_on_topic_despite_low_scores():
    ctx = context("Sở Y tế Bình Lâm báo cáo theo chu kỳ ra sao?", [binh_lam()], [(P, "III.2.a")])
    ctx.result = type(ctx.result)(ctx.result.hits, ctx.result.scope, ctx.result.plan_ids, {}, {}, 0.0)
    assert _gate().off_topic(ctx, _gate().measure(ctx, ctx.ranked[:1], support=False)) is None
    # the same scores about no agency: off topic
    ctx = context("Giá vé xe buýt nội thành Bình Lâm ra sao?", [binh_lam()], [(P, "III.2.a")])
    ctx.result = type(ctx.result)(ctx.result.hits, ctx.result.scope, ctx.result.plan_ids, {}, {}, 0.0)
    assert _gate().off_topic(ctx, _gate().measure(ctx, ctx.ranked[:1], support=False)).reason == "off-topic"


def test_a_name_only_read_from_the_question_is_not_refused_as_absent():
    # "Công an Bình Lâm và An Sơn hợp tác …" reads as an agency by its shape: no table or plan lists it
    ctx = context("Công an Bình Lâm và An Sơn hợp tác quốc tế qua kênh nào?", [binh_lam()], [(P, "II.2")])
    assert _gate().agency_absent(ctx) is None


def test_an_agency_told_in_the_story_is_not_the_one_asked():
    story = ("Tôi đã đưa con ra Sở Tư pháp hỏi nhưng họ bảo không phải việc của họ, tôi rất lo lắng không biết "
             "làm sao. Theo kế hoạch Bình Lâm, ai tư vấn tâm lý cho trẻ em bị xâm hại trên mạng?")
    ctx = context(story, [binh_lam()], [(P, "III.2.a")])
    assert _gate().agency_absent(ctx) is None


def test_a_terse_follow_up_leans_on_the_earlier_turns_topic(assistant):
    """Few words of its own, nearly none in any clause: the topic is the earlier turn's."""
    a = assistant.ask("Còn đơn vị tổng hợp gửi tỉnh thì hạn cuối là khi nào?",
                      history=["Lai Châu yêu cầu các cơ quan gửi báo cáo kết quả trước ngày nào hằng năm?"])
    assert not a.abstained and "15/12" in a.answer
