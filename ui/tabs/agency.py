"""«Tra cứu theo cơ quan»: every task the plans give one agency (lead / partner / doer, deadline),
downloadable as CSV, and the agency's work plan as a DOCX (``rag/documents/workplan.py``)."""
from __future__ import annotations

import gradio as gr

from rag.structure.assignments import assignments
from rag.documents.workplan import work_plan, workplan_docx
from rag.structure.agencies import all_agencies
from ui.access import Role
from ui.context import PageContext, agencies_named, plan_choices
from ui.downloads import Downloads
from ui.render import TABLE_HEADERS, agency_rows, find_agencies, rows_to_csv


def agency_choices(corpus) -> list[tuple[str, str]]:
    named = agencies_named(corpus)
    return [(a.name, a.key) for a in all_agencies() if a.key in named]


class AgencyTab:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.documents = Downloads("rag-workplan-")

    def table(self, key: str | None, plans: list[str]):
        """The agency's tasks in the chosen plans, and the CSV to download."""
        view = self.ctx.plans
        if not key or key not in {k for _, k in agency_choices(view.corpus)}:  # nothing, or text still being resolved
            return gr.update(value=[]), gr.update(value=None, interactive=False)
        rows = agency_rows(assignments(view.corpus, key, plans or None, view.indexes), view.corpus)
        path = self.ctx.exports.write(key, plans, rows_to_csv(rows))
        return gr.update(value=rows), gr.update(value=str(path), interactive=True)

    def workplan_file(self, key: str | None, plans: list[str]):
        """The agency's work plan (its duties in the chosen plans, lead first, then partner) as a DOCX."""
        if not key:
            return gr.update(value=None, interactive=False)
        view = self.ctx.plans
        plan = work_plan(view.corpus, key, plans or None, view.indexes)
        scope = plans[0] if plans and len(plans) == 1 else f"{len(plans or view.corpus.plans)}-ke-hoach"
        path = self.documents.write(f"ke-hoach-cong-tac-{key}-{scope}", ".docx", workplan_docx(plan))
        return gr.update(value=str(path), interactive=bool(plan.plans))

    def resolve(self, typed: str | None):
        """What the box holds after the user typed: a known agency stays; a name typed without diacritics
        or in part ("giao duc") becomes the best matching agency, the list narrowed to the matches."""
        choices = agency_choices(self.ctx.plans.corpus)
        if not typed or typed in {key for _, key in choices}:
            return gr.update()
        found = find_agencies(typed, choices)
        if not found:
            gr.Warning(f"Không có cơ quan nào khớp «{typed}».")
            return gr.update(value=None)
        return gr.update(choices=found + [c for c in choices if c not in found], value=found[0][1])

    def layout(self) -> None:
        corpus = self.ctx.plans.corpus
        with gr.Tab("Tra cứu theo cơ quan"):
            gr.Markdown("Chọn một cơ quan để xem mọi nhiệm vụ các kế hoạch giao cho cơ quan đó: chủ trì, phối hợp "
                        "hay thực hiện, kèm thời hạn khi kế hoạch có nêu.")
            with gr.Row():
                self.agency = gr.Dropdown(choices=agency_choices(corpus), value=None, label="Cơ quan",
                                          info="Gõ tên (có dấu hoặc không dấu, ví dụ «giao duc») rồi chọn hoặc nhấn Enter",
                                          allow_custom_value=True, filterable=True, elem_id="agency", scale=2)
                self.plans = gr.CheckboxGroup(choices=plan_choices(corpus), value=corpus.plan_ids, label="Kế hoạch",
                                              scale=3)
            self.rows = gr.Dataframe(headers=TABLE_HEADERS, value=[], wrap=True, interactive=False,
                                     elem_id="agency-table", column_widths=["14%", "9%", "9%", "56%", "12%"])
            with gr.Row():
                self.download = gr.DownloadButton("Tải bảng CSV", value=None, interactive=False)
                self.workplan = gr.DownloadButton("Tải kế hoạch công tác (DOCX)", value=None, interactive=False,
                                                  elem_id="agency-workplan")

    def wire(self) -> None:
        self.ctx.wire.on(self.agency.input, self.resolve, Role.READER, inputs=self.agency, outputs=self.agency)
        for trigger in (self.agency.change, self.plans.change):
            self.ctx.wire.on(trigger, self.table, Role.READER, inputs=[self.agency, self.plans],
                             outputs=[self.rows, self.download])
            self.ctx.wire.on(trigger, self.workplan_file, Role.READER, inputs=[self.agency, self.plans],
                             outputs=[self.workplan])
