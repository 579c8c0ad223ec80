"""``rag deadlines``, ``rag workplan``, ``rag checklist``: the timeline, an agency's work plan and the
checklists by audience, from the command line (the same functions as the page's «Lịch thực hiện» tab)."""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from rag.cli.common import UserError, corpus_for_use, print_json, resolve_plan
from rag.config import Settings

KINDS_HELP = "date, month, quarter, year, range, recurring, continuous, relative, none, unparsed"


def _date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày không hợp lệ: «{text}» (viết 2025-12-31 hoặc 31/12/2025)")


def resolve_agency(corpus, name: str) -> str:
    """An agency key from any spelling ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "so-gddt") that some plan names."""
    from rag.structure.agencies import agency_lexicon, find_agencies

    lex = agency_lexicon()
    found = name if any(a.key == name for a in lex.agencies()) else \
        lex.key_of(name) or next(iter(find_agencies(name)), None)
    named = {k for c in corpus.clauses() for k in (*c.agency, *c.lead_agencies, *c.partner_agencies)}
    if not found or found not in named:
        raise UserError(f"Không nhận ra cơ quan «{name}» trong các kế hoạch. Viết tên như kế hoạch viết, ví dụ "
                        f"«Sở Giáo dục và Đào tạo» (xem thẻ «Tra cứu theo cơ quan» trên trang).")
    return found


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)  # a file that was there stays whole until the new one is complete
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"Không ghi được tệp «{target}»: {exc.strerror or exc}.") from exc
    print(f"Đã ghi {target} ({len(data):,} byte).".replace(",", "."), file=sys.stderr)


def cmd_deadlines(args, settings: Settings) -> int:
    from rag.structure.deadlines import DeadlineKind
    from rag.schedule.timeline import RoleFilter, TimelineQuery, timeline

    corpus = corpus_for_use(settings)
    plans = tuple(resolve_plan(corpus, p) for p in (args.plan or ()))
    try:
        kinds = tuple(DeadlineKind(k) for k in (args.kind or ()))
    except ValueError as exc:
        raise UserError(f"Loại thời hạn không có: {exc}. Các loại: {KINDS_HELP}.") from exc
    query = TimelineQuery(agency=resolve_agency(corpus, args.agency) if args.agency else None, role=RoleFilter(args.role),
                          plans=plans, year=args.year, kinds=kinds, since=args.since, until=args.until,
                          due_within_days=args.due_within, overdue=args.overdue, recurring_only=args.recurring,
                          with_deadline_only=args.with_deadline, today=args.today or date.today())
    rows = timeline(corpus, query)
    if args.xlsx:
        from rag.schedule.xlsx import timeline_xlsx

        _write(args.xlsx, timeline_xlsx(rows))
    elif args.ics:
        from rag.schedule.ical import in_calendar, timeline_ics

        _write(args.ics, timeline_ics(rows))
        left_out = sum(1 for r in rows if not in_calendar(r))
        if left_out:
            print(f"{left_out} việc không rơi vào ngày cụ thể (thường xuyên, định kỳ không nêu ngày, không nêu thời "
                  f"hạn) không có trong lịch; xem bằng --xlsx.", file=sys.stderr)
    elif args.json:
        print_json([r.to_dict() for r in rows])
    else:
        for r in rows:
            t, d = r.task, r.task.deadline
            due = f"{r.next_due:%d/%m/%Y}" if r.next_due else "—"
            when = f"{d.text} [{d.kind.label}{': ' + d.reading if d.reading else ''}]" if d.stated \
                else "không nêu thời hạn"
            role = f" ({r.role})" if r.role else ""
            print(f"{due:>10}  {t.plan_name}, {t.address}{role}: {when}\n            {t.text[:160]}")
        print(f"{len(rows)} việc.", file=sys.stderr)
    return 0


def cmd_workplan(args, settings: Settings) -> int:
    from rag.documents.workplan import work_plan, workplan_docx

    corpus = corpus_for_use(settings)
    plans = [resolve_plan(corpus, p) for p in (args.plan or ())]
    plan = work_plan(corpus, resolve_agency(corpus, args.agency), plans or None)
    _write(args.docx, workplan_docx(plan))
    lead = sum(len(p.lead) for p in plan.plans)
    partner = sum(len(p.partner) for p in plan.plans)
    print(f"{plan.agency_name}: {lead} nhiệm vụ chủ trì/thực hiện, {partner} nhiệm vụ phối hợp "
          f"trong {len(plan.plans)} kế hoạch.", file=sys.stderr)
    return 0


def cmd_checklist(args, settings: Settings) -> int:
    from rag.audience.checklist import checklist

    corpus = corpus_for_use(settings)
    plans = [resolve_plan(corpus, p) for p in (args.plan or ())]
    result = checklist(corpus, args.audience, plans or None)
    if args.docx:
        from rag.documents.checklist import checklist_docx

        _write(args.docx, checklist_docx(result))
    elif args.json:
        print_json(result.to_dict())
    else:
        print(result.title.upper())
        for s in result.sections:
            lines = result.in_section(s.key)
            if not lines:
                continue
            print(f"\n{s.title} ({len(lines)})")
            for x in lines:
                when = f" — thời hạn: {x.deadline.text}" if x.deadline.stated else ""
                print(f"  ☐ {x.text}\n      [{x.citation}]{when}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("deadlines", help="lịch thực hiện: các việc theo thời hạn, qua các kế hoạch")
    p.add_argument("--agency", help="cơ quan (chủ trì hoặc phối hợp), ví dụ «Sở Giáo dục và Đào tạo»")
    p.add_argument("--role", choices=["any", "lead", "partner"], default="any",
                   help="với --agency: chỉ việc chủ trì/thực hiện (lead) hoặc phối hợp (partner)")
    p.add_argument("--plan", action="append", help="mã kế hoạch (lặp lại được)")
    p.add_argument("--from", dest="since", type=_date, help="từ ngày (2025-01-01 hoặc 01/01/2025)")
    p.add_argument("--to", dest="until", type=_date, help="đến ngày")
    p.add_argument("--year", type=int, help="việc có thời hạn trong năm này")
    p.add_argument("--kind", action="append", help=f"loại thời hạn ({KINDS_HELP})")
    p.add_argument("--due-within", type=int, metavar="NGÀY", help="đến hạn trong N ngày tới (ví dụ 90)")
    p.add_argument("--overdue", action="store_true",
                   help="đã quá hạn, với kế hoạch còn hiệu lực")
    p.add_argument("--recurring", action="store_true", help="chỉ việc định kỳ")
    p.add_argument("--with-deadline", action="store_true", help="bỏ các nhiệm vụ không nêu thời hạn")
    p.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # tests: "due in N days" from a fixed day
    out = p.add_mutually_exclusive_group()
    out.add_argument("--xlsx", metavar="TỆP", help="ghi bảng tính")
    out.add_argument("--ics", metavar="TỆP", help="ghi lịch iCalendar (.ics) để nhập vào lịch")
    out.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadlines)

    p = sub.add_parser("workplan", help="kế hoạch công tác của một cơ quan (DOCX): nhiệm vụ chủ trì, rồi phối hợp")
    p.add_argument("agency", help="cơ quan, ví dụ «Sở Giáo dục và Đào tạo»")
    p.add_argument("--plan", action="append", help="mã kế hoạch (lặp lại được; mặc định: mọi kế hoạch)")
    p.add_argument("--docx", required=True, metavar="TỆP", help="tệp DOCX để ghi")
    p.set_defaults(func=cmd_workplan)

    p = sub.add_parser("checklist", help="danh mục việc cần làm theo đối tượng: school (theo cấp học) hoặc family")
    p.add_argument("audience", choices=["school", "family"])
    p.add_argument("--plan", action="append", help="mã kế hoạch (lặp lại được)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--docx", metavar="TỆP", help="ghi tệp DOCX để in")
    out.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_checklist)
