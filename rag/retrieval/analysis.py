"""One typed reading of a question, before anything is searched: the plans it is about
(named, or carried from the conversation), the agencies it names and the one it asks about,
the attribute it asks for, a clause address, its language, the specific words it asks about,
and whether it tells of a child in danger now. Rules over cue phrases that live in
``rag/lexicon/questions.toml``; no model.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from rag import lexicon
from rag.index.analyzer import has_diacritics
from rag.retrieval.address import ClauseRef, read_address
from rag.retrieval.cues import cues, generic_folded, generic_words, value_list
from rag.retrieval.scope import PlanScoper, Scope, loose
from rag.structure.agencies import agency_lexicon, find_agencies
from rag.text import fold, looks_english


class Attribute(enum.Enum):
    """What the question asks for."""

    LEAD = "lead"
    PARTNERS = "partners"
    DEADLINE = "deadline"
    NUMBER = "number"  # a count with its unit, a percentage, an amount of money
    DATE = "date"
    FUNDING = "funding"
    DOCUMENTS = "documents"
    DUTIES = "duties"
    PREMISE = "premise"  # a yes/no question: its premise is checked
    DEFINITION = "definition"
    FRONT_MATTER = "front_matter"  # the plan's number, date, issuer, signer, recipients
    CLAUSE = "clause"  # the clause named by its address
    CONTENT = "content"


class Language(enum.Enum):
    VIETNAMESE = "vi"
    UNACCENTED = "vi-unaccented"
    ENGLISH = "en"


class Kind(enum.Enum):
    """Which composer answers (see ``rag.answer.composers``)."""

    AGENCY = "agency"
    DUTIES = "duties"
    VALUE = "value"
    COMPARISON = "comparison"
    ADDRESS = "address"
    FRONT_MATTER = "front_matter"
    PLANS = "plans"  # which plans: those a decision, period or issue date names ("kế hoạch nào thực hiện QĐ 830?")
    CONTENT = "content"


class FrontField(enum.Enum):
    NUMBER = "number"
    DATE = "date"
    ISSUER = "issuer"
    SIGNER = "signer"
    RECIPIENTS = "recipients"
    PERIOD = "period"  # the years it covers, as its opening paragraph states them
    BASIS = "basis"  # the national decision it carries out, its period
    TITLE = "title"  # its full name ("Kế hoạch Bảo vệ và hỗ trợ trẻ em … giai đoạn 2022-2025 trên địa bàn …")


@dataclass(frozen=True)
class QuestionAnalysis:
    question: str  # as the user typed it (cleaned)
    text: str  # what is answered: the question, completed from the conversation
    scope: Scope
    kind: Kind
    attribute: Attribute
    language: Language
    agencies: tuple[str, ...] = ()  # every agency the question names
    subjects: tuple[str, ...] = ()  # those it asks about (named before "cơ quan nào …", or all)
    partners_named: tuple[str, ...] = ()  # those named only as partners ("… phối hợp với Viện kiểm sát …")
    address: ClauseRef | None = None
    front: tuple[FrontField, ...] = ()  # the front-matter fields asked (number, date, signer …)
    value: str | None = None  # "unit:<folded unit>" | "money" | "percent" | "name" | "phone" | "date"
    claimed_role: str | None = None  # "partner" | "lead": the role the question says an agency has
    asks_who: bool = False
    asks_lead: bool = False
    asks_partners: bool = False
    asks_deadline: bool = False
    wants_list: bool = False  # every item, "kể đủ": the whole list the best clause belongs to
    wants_items: bool = False  # several items, "gồm những gì": every item of the best clause
    items_noun: str = ""  # what the items asked are, folded ("nguon" of "những nguồn nào"), when named
    school: bool = False
    asks_goal: bool = False  # the plan's own aim, no agency named ("kế hoạch hướng tới điều gì")
    asks_plan_lead: bool = False  # who leads the whole plan ("cơ quan nào chủ trì chung"), not one task
    injection: bool = False
    distress: bool = False
    key_terms: tuple[str, ...] = ()  # folded syllables of the specific content asked about
    understood: str = ""  # how a follow-up was read ("" for a standalone question)
    carried: tuple[str, ...] = field(default=())  # what came from earlier turns: "plan", "agency", "task"
    # what is searched and matched against clauses: ``text`` without the words that name plans
    # (scope, not content), unless the question is about the plan itself; "" means ``text``
    content: str = ""

    @property
    def search_text(self) -> str:
        return self.content or self.text

    @property
    def english(self) -> bool:
        return self.language is Language.ENGLISH

    @property
    def about_plan(self) -> bool:
        return bool(self.front)


# --- reading pieces ------------------------------------------------------------------------

def language_of(question: str) -> Language:
    if looks_english(question):
        return Language.ENGLISH
    return Language.VIETNAMESE if has_diacritics(question) else Language.UNACCENTED


_LONG_QUESTION_WORDS = 20
_PLAN_LEAD_OTHER_WORDS = 3  # content words besides "chủ trì chung" that still ask the plan's lead
_MONEY_OTHER_WORDS = 1  # content words besides "lấy tiền ở đâu" that still ask every source of money
_WHICH_PLANS_CONTENT = 2  # content words that make "tỉnh nào …" ask a thing of each plan, not which plans there are


def asked_part(question: str) -> str:
    """The part of a question that asks (a long, story-like question ends with what it asks)."""
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+|\n+", question.strip()) if s.strip()]  # "…; kế hoạch có …?"
    # a note in brackets after the question (a follow-up's carried plan, "… nào? (<tên tỉnh>)") asks nothing
    asking = [s for s in sentences if not re.fullmatch(r"\(.*\)", s.strip())]
    last = asking[-1] if asking else sentences[-1] if sentences else question
    if len(question.split()) > _LONG_QUESTION_WORDS:
        parts = [p for p in re.split(r",\s+", last) if p.strip()]
        tail = parts[-1] if parts else last
        if len(tail.split()) < 4 and len(parts) > 1:
            tail = ", ".join(parts[-2:])
        return tail
    return last


def _value_asked(folded: str, typed: str = "") -> str | None:
    """The kind of value asked (see ``QuestionAnalysis.value``). ``typed``: the same words as
    typed; with diacritics, a cue folded alike but written otherwise is not the cue ("phòng máy"
    is a computer room, not "mấy")."""
    if cues("money", "values")(folded):
        return "money"
    if cues("percent", "values")(folded):
        return "percent"
    if cues("name", "values")(folded):
        return "name"
    if cues("phone", "values")(folded):
        return "phone"
    units = sorted(value_list("units"), key=len, reverse=True)
    as_typed = lexicon.load("questions")["values"].get("how_many_typed", {})
    accented = bool(typed) and has_diacritics(typed)
    text = loose(typed) if accented else folded
    for how in value_list("how_many"):
        for m in re.finditer(rf"\b{re.escape(how)}\s+((?:\w+\s+){{0,2}}\w+)", text):
            if accented and how in as_typed and typed[m.start():m.start() + len(how)].lower() not in as_typed[how]:
                continue
            for unit in units:
                if re.search(rf"\b{re.escape(unit)}\b", m.group(1)):
                    english = lexicon.load("questions")["values"].get("units_english", {})
                    return f"unit:{english.get(unit, unit)}"
    return None


_ITEMS_FRAME = re.compile(r"\b(?:nhung|cac)\s+(\w+)(?:\s+\w+){0,3}?\s+(?:nao|gi)\b")


def _items_noun(folded: str) -> str:
    """The noun of "những nguồn nào", "các kênh truyền thông nào": the first syllable after the
    plural word ('' when the question names none)."""
    m = _ITEMS_FRAME.search(folded)
    return m.group(1) if m and not cues("not_items")(m.group(1)) else ""


def _blank_cues(content: str, *cue_sets) -> str:
    """``content`` with every match of the cue sets blanked, as typed (the words left keep their
    diacritics, so ``key_terms`` reads them as it reads a question)."""
    rest = content
    for cue in cue_sets:
        if cue.pattern is None:
            continue
        for m in list(cue.pattern.finditer(loose(rest))):
            rest = rest[:m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    return rest


def _asks_only(content: str, cue_name: str, most: int) -> bool:
    """The cue, and at most ``most`` content words besides it: the question asks that and nothing
    narrower ("Ninh Thuận lấy tiền ở đâu?" asks every source of money; "ngoài ngân sách, … những nguồn
    nào?" asks some of them)."""
    cue = cues(cue_name)
    return cue(loose(content)) and len(key_terms(_blank_cues(content, cue))) <= most


def _asks_plan_lead(content: str) -> bool:
    """Who leads the whole plan ("cơ quan nào chủ trì chung?"), not one of its tasks: the cue, and at
    most a few content words besides it (the plan's own title told in other words)."""
    return _asks_only(content, "plan_lead", _PLAN_LEAD_OTHER_WORDS)


def _front_compared(content: str) -> tuple[FrontField, ...]:
    """The plans themselves compared: the fields whose nouns a comparison names ("Giai đoạn của kế
    hoạch A khác kế hoạch B ở chỗ nào?"), when it compares nothing else ("Mục tiêu giai đoạn …"
    compares targets). ``content``: the question without the words that name plans. Cues:
    ``<field>_compared`` in ``[front]``; the comparing words are ``compare``."""
    table = lexicon.load("questions")["front"]
    found = tuple(f for f in FrontField
                  if f"{f.value}_compared" in table and cues(f"{f.value}_compared", "front")(loose(content)))
    if not found:
        return ()
    rest = _blank_cues(content, *[cues(f"{f.value}_compared", "front") for f in found], cues("compare"))
    return () if key_terms(rest) else found


def _front_fields(folded: str, whole: str | None = None) -> tuple[FrontField, ...]:
    """The front-matter fields a question about the plan itself asks ((BASIS,) for its basis or
    period; () when it does not ask about the plan itself). Cues: ``[front]`` in questions.toml.
    ``folded``: the question without the words that name plans; ``whole``: with them (a question
    that names the plan, "Kế hoạch 308 do ai ký?", is about the plan itself)."""
    whole = whole if whole is not None else folded
    if not cues("about_plan")(folded):
        return ()
    basis = cues("basis")(folded)
    found = tuple(f for f in FrontField if f is not FrontField.BASIS and cues(f.value, "front")(folded))
    if not found:
        return (FrontField.BASIS,)
    if basis:  # "ban hành ngày nào và để thực hiện quyết định nào": both asked
        # "quyết định số mấy", "quyết định đó ban hành ngày nào": the decision's number and date, not the plan's
        decision = cues("decision", "front").search(folded)
        dated = [m.start() for m in re.finditer(cues("date", "front").pattern, folded)] if decision else []
        decision_date = bool(dated) and dated[-1] > decision.start()
        decision_number = cues("decision_number", "front").search(folded)
        return (FrontField.BASIS, *(f for f in found if not (f is FrontField.NUMBER and decision_number)
                                    and not (f is FrontField.DATE and decision_date)))
    if not cues("plan_itself")(whole) or cues("documents")(folded):
        return ()  # "tổng đài … số mấy" asks the hotline's number; "quyết định nào … số hiệu", documents
    other = cues("other_document").search(folded)
    if other is not None and re.search(r"\d", folded[other.end():other.end() + 12]):
        return ()  # "Chỉ thị số 57 … ban hành ngày nào" asks about that document, not the plan
    # a number asked beside the date is the plan's own ("số và ngày ban hành"), whatever words stand between
    if FrontField.NUMBER in found and FrontField.DATE not in found and _number_of_something_else(folded):
        found = tuple(f for f in found if f is not FrontField.NUMBER)
    return found


def _number_of_something_else(folded: str) -> bool:
    """"… mà kế hoạch yêu cầu quảng bá là số mấy": content words stand between the plan and the
    number asked, so the number is of what they name (a hotline), not the plan's own."""
    asked = cues("number", "front").search(folded)
    if asked is None:
        return False
    plan_words = cues("plan_itself").pattern
    last = None if plan_words is None else next(reversed(list(plan_words.finditer(folded[:asked.start()]))), None)
    if last is None:
        return False
    between = folded[last.end():asked.start()]
    for other in FrontField:  # other fields asked alongside ("do ai ký, số mấy") are about the plan too
        if other is not FrontField.BASIS:
            between = re.sub(cues(other.value, "front").pattern, " ", between)
    return bool(key_terms(between))


def key_terms(question: str, scoper: PlanScoper | None = None, agencies: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Folded content syllables of the question: without the generic vocabulary (matched with
    diacritics when the question has them), the cue phrases, agency names, place names and
    plan numbers."""
    from rag.index.analyzer import syllables
    from rag.structure.agencies import agency_name

    typed = syllables(question)
    folded = [fold(s) for s in typed]
    removed: set[int] = set()
    starts: dict[str, list[int]] = {}
    for i, f in enumerate(folded):
        starts.setdefault(f, []).append(i)
    names = {fold(agency_name(k)) for k in agencies} | set(_names_to_blank(scoper))
    present = [n for n in names if n.split(" ", 1)[0] in starts]  # only names whose first word is there
    for name in sorted(present, key=lambda n: (-len(n), n)):  # ties in a fixed order
        words = name.split()
        n = len(words)
        for i in starts[words[0]]:
            if folded[i:i + n] == words and not removed & set(range(i, i + n)):
                removed |= set(range(i, i + n))
    accented = has_diacritics(question)
    generic, generic_f = generic_words(), generic_folded()
    out = []
    for i, (s, f) in enumerate(zip(typed, folded)):
        if i in removed or not f or f.isdigit() or len(f) < 2:
            continue
        if (s in generic) if accented else (f in generic_f):
            continue
        out.append(f)
    return tuple(dict.fromkeys(out))


def _names_to_blank(scoper: PlanScoper | None) -> list[str]:
    """Folded agency aliases and place names: not the specific content a question asks about."""
    names = [alias for alias, _ in agency_lexicon().aliases()]
    return names + (scoper.place_names() if scoper is not None else [])


def _partners_named(question: str, agencies: tuple[str, ...]) -> tuple[str, ...]:
    """The agencies named only after a partner cue ("… phối hợp với Viện kiểm sát, Tòa án tỉnh để làm
    gì"): the partners of the work asked about, not the agency whose work it is."""
    typed = loose(question)  # one character per character of the question, places kept ("Công an tỉnh Lai Châu")
    partner = cues("partners").search(typed) if agencies else None
    if partner is None:
        return ()
    before = set(find_agencies(question[:partner.start()]))
    # up to the end of that sentence: a follow-up read with its earlier question ("… — Công an tỉnh phải làm gì?")
    after = find_agencies(re.split(r"[—?.;!]", question[partner.end():], maxsplit=1)[0])
    return tuple(a for a in agencies if a in after and a not in before)


def _subjects(question: str, folded: str, agencies: tuple[str, ...], who: re.Match | None,
              partners: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The agencies the question is about: those named before what it asks ("Sở X phối hợp với ai"), and
    not the partners it names ("Công an tỉnh phối hợp với Viện kiểm sát để làm gì" is about the police)."""
    if who and agencies:
        before = find_agencies(folded[:who.start()]) if folded[:who.start()].strip() else ()
        return tuple(a for a in agencies if a in before)
    own = tuple(a for a in agencies if a not in partners)
    return own or agencies


def _specific_after_duty(folded: str, duty: re.Match) -> int:
    """Content words besides the agency, the plan and the duty phrase ("X phải làm gì để …")."""
    rest = folded[:duty.start()] + " " + folded[duty.end():]
    return len(key_terms(rest))


# --- the analyzer --------------------------------------------------------------------------

class QuestionAnalyzer:
    """Configured with the plans' scoper; ``run`` reads one question (with its conversation)."""

    def __init__(self, scoper: PlanScoper) -> None:
        self.scoper = scoper
        # the bodies that issue the plans ("Ủy ban nhân dân tỉnh …"): asked about, the question is about the plan
        self._issuers = {k for p in scoper.plans for k in find_agencies(p.issuer)}

    def run(self, question: str, history: tuple[str, ...] = ()) -> QuestionAnalysis:
        from rag.retrieval.conversation import complete

        text, understood, carried = complete(question, history, self)
        analysis = self.read(text)
        if not understood:
            return _with(analysis, question=question)
        own = self.read(question) if ("task" in carried or "agency" in carried) else None
        if own is not None and "agency" in carried and own.agencies and set(own.agencies) <= set(own.partners_named):
            # "Vậy còn phối hợp với Viện kiểm sát … để làm gì?": the earlier turn's agency, at work with these partners
            subjects = tuple(k for k in analysis.agencies if k not in own.partners_named) or analysis.subjects
            analysis = _with(analysis, subjects=subjects, partners_named=own.partners_named)
            if own.attribute is Attribute.CONTENT:
                analysis = _with(analysis, kind=Kind.CONTENT, attribute=Attribute.CONTENT, asks_who=False,
                                 asks_partners=False, asks_lead=False)
        if "task" in carried:  # what the follow-up itself asks wins over what the earlier turn asked
            if own.attribute is not Attribute.CONTENT:
                kind = own.kind if own.kind is not Kind.CONTENT else analysis.kind
                if kind is Kind.DUTIES and not (analysis.agencies or analysis.school):
                    kind = analysis.kind
                value = own.value or (analysis.value if own.kind is Kind.VALUE else None)
                if kind is Kind.VALUE and value is None:
                    # the earlier turn asked a value, this one asks something else ("… còn thời hạn?"): what it
                    # asks (its attribute) is answered from content; a value kind with no value has nothing to seek
                    kind = Kind.CONTENT
                analysis = _with(analysis, kind=kind, attribute=own.attribute, asks_who=own.asks_who or analysis.asks_who,
                                 asks_lead=own.asks_lead, asks_partners=own.asks_partners,
                                 asks_deadline=own.asks_deadline, value=value)
        return _with(analysis, question=question, understood=understood, carried=carried)

    def read(self, question: str) -> QuestionAnalysis:
        """A standalone question. The words that name plans narrow the scope; what the question
        asks is read from the rest."""
        scope = self.scoper.scope(question)
        content = self.scoper.strip_mentions(question) if scope.mentions else question
        folded = fold(content)
        # the language of what is asked: "Which agency leads in Dong Nai?" is English though the
        # place is typed in Vietnamese without diacritics
        language = language_of(content) if content.strip() else language_of(question)
        # what is searched keeps the period: plans title their targets with it ("Mục tiêu giai đoạn
        # 2022 - 2025"), and the opening paragraph it also matches goes last anyway; an English
        # question keeps its place (it is matched by meaning, and its evidence scale, the cosine,
        # was calibrated with place names in)
        keep = ("period", "place") if language is Language.ENGLISH else ("period",)
        content = self.scoper.strip_mentions(question, keep=keep) if scope.mentions else question
        agencies = find_agencies(question)
        if language is Language.ENGLISH:  # "Department of Education and Training" → Sở Giáo dục và Đào tạo
            from rag.retrieval.expansion import english_agencies

            agencies = tuple(dict.fromkeys(agencies + english_agencies(question)))
        who = cues("who").search(folded)
        # a long story asks in its end: "mấy bạn cùng lớp" told before is not a count asked
        long = len(content.split()) > _LONG_QUESTION_WORDS
        asked = fold(asked_part(content)) if long else folded
        value = _value_asked(asked, asked_part(content) if long else content)
        duty = cues("duties").search(folded)
        address = read_address(question)
        front = _front_fields(folded, fold(question))
        if front and set(agencies) - self._issuers:
            # "UBND phường … kế hoạch riêng … cho giai đoạn nào": the period or date of that agency's
            # own work, not of the plan the province issued
            front = tuple(f for f in front if f not in (FrontField.PERIOD, FrontField.DATE))
        school = cues("school")(folded)
        asks_who = bool(who)
        asks_partners = cues("partners")(folded) and (asks_who or not agencies or bool(cues("lead")(folded)) or
                                                      bool(re.search(r"\b(nao|ai|who|which)\b", folded)))
        asks_deadline = cues("deadline")(asked)  # "ngày nào cũng ra quán net" in the story asks no date
        wants_list = cues("list")(asked)  # likewise: "có mấy cuộc thi" in the story is not a list asked
        wants_items = cues("several")(asked) and not who
        items_noun = _items_noun(asked) if wants_items else ""
        claimed = None
        if agencies:
            claimed = "partner" if cues("claims_partner")(folded) else "lead" if cues("claims_lead")(folded) else None
        # a long story asks its duty in its end: the words told before it are not what is asked
        told = cues("duties").search(asked) if (duty and long) else None
        specific = 0 if (language is Language.ENGLISH and agencies) else (
            _specific_after_duty(asked, told) if told else _specific_after_duty(folded, duty) if duty else 0)
        # content words that make the duty specific: three in a whole question, two in the short part a
        # long story ends with ("… làm gì để an toàn khi học trực tuyến?" asks one duty, not all of them)
        # partners named make the duty specific: "Công an phối hợp với Viện kiểm sát để làm gì" asks that work
        partners_named = _partners_named(question, agencies) if not who else ()
        duties = (bool(duty) and not asks_who and value is None and specific < (2 if told else 3)
                  and not partners_named)
        # several plans named one by one, or asked to be compared; a decision or period several
        # plans share names them all, but the question asks each the same thing
        terms = () if language is Language.ENGLISH else key_terms(content, self.scoper, agencies)
        which_plans = cues("which_plans")(folded) and not scope.enumerated
        if which_plans and len(terms) >= _WHICH_PLANS_CONTENT:
            # "tỉnh nào cam kết hỗ trợ 100% trẻ em …" asks a thing of every plan, not which plans exist
            scope, which_plans = self.scoper.every_plan(scope), False
        which_plans = which_plans and bool(scope.plan_ids)
        plans_named = len(scope.plan_ids) if (cues("compare")(folded) or scope.every) else len(scope.enumerated)
        if plans_named >= 2 and not front:
            front = _front_compared(content)
        if address is not None:
            kind, attribute = Kind.ADDRESS, Attribute.CLAUSE
        elif which_plans:
            kind, attribute = Kind.PLANS, Attribute.FRONT_MATTER
        elif front and front != (FrontField.BASIS,):
            kind, attribute = Kind.FRONT_MATTER, Attribute.FRONT_MATTER
        elif plans_named >= 2:
            kind, attribute = Kind.COMPARISON, Attribute.CONTENT
        elif value:
            kind, attribute = Kind.VALUE, Attribute.DATE if value == "date" else Attribute.NUMBER
        elif duties and (agencies or school):
            kind, attribute = Kind.DUTIES, Attribute.DUTIES
        elif asks_who or asks_partners:
            kind = Kind.AGENCY
            attribute = Attribute.PARTNERS if asks_partners else Attribute.LEAD
        else:
            kind, attribute = Kind.CONTENT, Attribute.CONTENT
        decision_asked = front == (FrontField.BASIS,) and bool(cues("basis")(folded))
        # "căn cứ quyết định nào, quyết định đó ký ngày nào": the date is the decision's, in the opening
        if kind in (Kind.AGENCY, Kind.CONTENT) and asks_deadline and not asks_who and not decision_asked:
            attribute = Attribute.DEADLINE
        if attribute is Attribute.CONTENT:
            if decision_asked and kind is Kind.CONTENT:
                attribute = Attribute.FRONT_MATTER  # "thực hiện quyết định nào": its basis, not every document named
            elif cues("documents")(folded):
                attribute = Attribute.DOCUMENTS
            elif cues("funding")(folded):
                attribute = Attribute.FUNDING
                # where a plan's money comes from is every source its money part lists, not the first one (no
                # plan named: each plan's own clause, side by side, as for any question)
                wants_list = wants_list or (not agencies and len(scope.plan_ids) == 1
                                            and _asks_only(content, "funding", _MONEY_OTHER_WORDS))
            elif cues("premise")(folded):
                attribute = Attribute.PREMISE
            elif cues("definition")(folded):
                attribute = Attribute.DEFINITION
        if front == (FrontField.BASIS,) and kind is Kind.CONTENT and attribute is Attribute.CONTENT:
            attribute = Attribute.FRONT_MATTER
        return QuestionAnalysis(
            question=question, text=question, scope=scope, kind=kind, attribute=attribute, language=language,
            agencies=agencies, subjects=_subjects(question, folded, agencies, who, partners_named),
            partners_named=partners_named, address=address, front=front,
            value=value, claimed_role=claimed, asks_who=asks_who, asks_lead=bool(cues("lead")(folded)),
            asks_partners=asks_partners,
            asks_deadline=asks_deadline, wants_list=wants_list, wants_items=wants_items, items_noun=items_noun,
            school=school, asks_plan_lead=_asks_plan_lead(content), asks_goal=(cues("asked", "goal")(asked) and not agencies and not front
                                                      and not asks_deadline and value is None),
            injection=cues("injection")(folded), distress=cues("harm", "distress")(folded) and cues("now", "distress")(folded),
            key_terms=terms,
            content=content if content != question and not front and len(content.split()) >= 2 else "",
        )


def _with(analysis: QuestionAnalysis, **changes) -> QuestionAnalysis:
    from dataclasses import replace

    return replace(analysis, **changes)
