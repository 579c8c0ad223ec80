"""«Lịch thực hiện»: the tasks of the chosen plans by deadline — filters by agency (lead or partner), plan,
year and kind; "due in the next 90 days", "overdue for plans still running", "recurring"; each row opens its
clause; the rows as XLSX and as an iCalendar file. The handlers' logic is in ``ui/timeline.py`` (the same
rows ``rag deadlines`` writes); readers may use all of it."""
from __future__ import annotations

import gradio as gr

from rag.schedule.ical import timeline_ics
from rag.schedule.xlsx import timeline_xlsx
from rag.structure.agencies import all_agencies
from ui.access import Role
from ui.context import PageContext, agencies_named, plan_choices
from ui.downloads import Downloads
from ui.timeline import (ALL, HEADERS, KIND_CHOICES, QUICK_CHOICES, ROLE_CHOICES, clause_html, file_stem, make_query,
                         rows_for, table_row, years_of)


def agency_choices(corpus) -> list[tuple[str, str]]:
    named = agencies_named(corpus)
    return [("Mọi cơ quan", "")] + [(a.name, a.key) for a in all_agencies() if a.key in named]


class TimelineTab:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.files = Downloads("rag-timeline-")

    # --- handlers ------------------------------------------------------------------------------

    def refresh(self, agency: str | None, role: str | None, plans: list[str] | None, year: str | None,
                kinds: list[str] | None, quick: str | None):
        """The rows for the filters, the state behind them, a count, the two downloads, an empty clause panel."""
        view = self.ctx.plans
        query = make_query(agency, role, plans, year, kinds, quick)
        rows = rows_for(view.corpus, query, view.indexes)
        stem = file_stem(query)
        xlsx = self.files.write(stem, ".xlsx", timeline_xlsx(rows))
        ics = self.files.write(stem, ".ics", timeline_ics(rows))
        return ([table_row(r) for r in rows], rows, f"**{len(rows)}** việc.",
                gr.update(value=str(xlsx), interactive=bool(rows)), gr.update(value=str(ics), interactive=bool(rows)),
                clause_html(view.corpus, view.indexes, None))

    def open_row(self, rows: list, evt: gr.SelectData):
        """The clicked row's clause in its place in the plan (found by the row's plan and clause address, as
        shown, so a sorted table still opens the right one)."""
        rows = rows or []
        value = evt.row_value if isinstance(evt.row_value, (list, tuple)) and len(evt.row_value) > 3 else None
        row = None
        if value is not None:
            row = next((r for r in rows if (r.task.plan_name, r.task.address, r.task.text) ==
                        (value[1], value[2], value[3])), None)
        if row is None:
            index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            row = rows[index] if isinstance(index, int) and 0 <= index < len(rows) else None
        return clause_html(self.ctx.plans.corpus, self.ctx.plans.indexes, row)

    # --- layout --------------------------------------------------------------------------------

    def layout(self) -> None:
        corpus = self.ctx.plans.corpus
        with gr.Tab("Lịch thực hiện", elem_id="timeline-tab"):
            gr.Markdown("Các việc các kế hoạch giao, xếp theo thời hạn. Lọc theo cơ quan (chủ trì hoặc phối hợp), kế "
                        "hoạch, năm và loại thời hạn; bấm một dòng để xem điều khoản của nó. Tải bảng tính, hoặc tệp "
                        "lịch (.ics) để nhập vào lịch của mình (việc hằng năm lặp lại mỗi năm).")
            with gr.Row():
                self.agency = gr.Dropdown(choices=agency_choices(corpus), value="", label="Cơ quan",
                                          elem_id="tl-agency", scale=3)
                self.role = gr.Radio(choices=ROLE_CHOICES, value="any", label="Vai trò", elem_id="tl-role", scale=3)
                self.year = gr.Dropdown(choices=[("Mọi năm", "")] + [(y, y) for y in years_of(corpus)], value="",
                                        label="Năm", elem_id="tl-year", scale=1)
            with gr.Row():
                self.plans = gr.CheckboxGroup(choices=plan_choices(corpus), value=corpus.plan_ids, label="Kế hoạch",
                                              elem_id="tl-plans", scale=3)
                self.kinds = gr.CheckboxGroup(choices=KIND_CHOICES, value=[], elem_id="tl-kinds", scale=3,
                                              label="Loại thời hạn (để trống: mọi loại)")
            self.quick = gr.Radio(choices=QUICK_CHOICES, value=ALL, label="Xem nhanh", elem_id="tl-quick")
            self.count = gr.Markdown("", elem_id="tl-count")
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    self.table = gr.Dataframe(headers=HEADERS, value=[], wrap=True, interactive=False,
                                              elem_id="tl-table")
                with gr.Column(scale=2):
                    gr.Markdown("### Điều khoản")
                    self.clause = gr.HTML(clause_html(corpus, self.ctx.plans.indexes, None), elem_id="tl-clause",
                                          elem_classes=["sources-panel"])
            with gr.Row():
                self.xlsx = gr.DownloadButton("Tải bảng tính (XLSX)", value=None, interactive=False, elem_id="tl-xlsx")
                self.ics = gr.DownloadButton("Tải lịch (.ics)", value=None, interactive=False, elem_id="tl-ics")
            self.shown = gr.State([])

    def wire(self, demo: gr.Blocks) -> None:
        inputs = [self.agency, self.role, self.plans, self.year, self.kinds, self.quick]
        outputs = [self.table, self.shown, self.count, self.xlsx, self.ics, self.clause]
        for widget in inputs:
            self.ctx.wire.on(widget.change, self.refresh, Role.READER, inputs=inputs, outputs=outputs)
        self.ctx.wire.on(demo.load, self.refresh, Role.READER, inputs=inputs, outputs=outputs)
        self.ctx.wire.on(self.table.select, self.open_row, Role.READER, inputs=[self.shown], outputs=[self.clause])
