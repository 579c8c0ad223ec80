"""«Thêm kế hoạch» (administrators only): upload a DOCX, PDF or text file, see the metadata detected
and the outline with its warnings, correct the metadata, confirm; the plan is then written to the
corpus, the index is updated, and the running assistant reloads so the plan can be asked about at
once (the plan filters and the agency view include it)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from rag.ingest.add import Draft, PlanAdder
from rag.ingest.detect import Overrides
from rag.ingest.errors import IngestError
from ui.access import Role
from ui.context import PageContext

log = logging.getLogger(__name__)

FIELDS = (("id", "Mã kế hoạch"), ("title", "Tiêu đề"), ("short_name", "Tên ngắn (dùng khi trích dẫn)"),
          ("issuer", "Cơ quan ban hành"), ("province", "Tỉnh, thành phố"), ("period", "Giai đoạn"),
          ("number", "Số hiệu"), ("date", "Ngày ban hành"), ("decision", "Quyết định được thực hiện"))
_OUTLINE_LABEL_CHARS = 90


def outline_text(draft: Draft) -> str:
    """The clause tree as a reader checks it: address, then heading or opening words, indented."""
    lines = []
    for c in draft.plan.clauses:
        if c.level == "front":
            continue
        label = c.title or c.text
        if len(label) > _OUTLINE_LABEL_CHARS:
            label = label[:_OUTLINE_LABEL_CHARS].rsplit(" ", 1)[0] + "…"
        lines.append(f"{'  ' * len(c.path)}{c.address}  {label}")
    return "\n".join(lines)


def report_markdown(draft: Draft) -> str:
    r = draft.report
    c = r.counts
    parts = [f"**Đã đọc «{draft.source.name}»** ({r.source}" + (f", {r.pages} trang" if r.pages else "")
             + (", nhận dạng chữ OCR" if r.ocr else "") + ").",
             f"Cấu trúc: **{c.parts}** phần, **{c.items}** mục, **{c.points}** điểm, **{c.bullets}** gạch đầu dòng, "
             f"**{c.agency_sections}** mục cơ quan, **{c.appendix_rows}** dòng phụ lục."]
    if r.agencies:
        parts.append("Cơ quan: " + ", ".join(r.agencies))
    if r.warnings:
        parts.append("**Cảnh báo:**\n" + "\n".join(f"- {w.message}" for w in r.warnings))
    else:
        parts.append("Không có cảnh báo.")
    parts.append("Kiểm tra, sửa thông tin bên dưới nếu cần, rồi bấm **Xác nhận thêm kế hoạch**.")
    return "\n\n".join(parts)


class AddPlanTab:
    """``refresh`` re-reads the reloaded corpus and returns updates for ``refresh_outputs`` (the plan
    filters and the agency list), set by the page before ``wire``."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.refresh: Callable[[], tuple] = lambda: ()
        self.refresh_outputs: list = []

    def adder(self) -> PlanAdder:
        loader = self.ctx.loader
        assistant = loader.assistant if loader.ready.is_set() else None
        return PlanAdder(self.ctx.settings, embedder=getattr(assistant, "embedder", None))

    # --- handlers ------------------------------------------------------------------------------

    def on_read(self, file, progress=gr.Progress(track_tqdm=True)):
        hidden = (gr.update(visible=False), *[gr.update() for _ in FIELDS], gr.update(), None)
        if not file:
            return ("⚠️ Hãy chọn một tệp kế hoạch trước.", *hidden)
        try:
            draft = self.adder().prepare(Path(file), progress=lambda share, message: progress(share, desc=message))
        except IngestError as exc:
            return (f"⚠️ {exc}", *hidden)
        except Exception:  # never a stack trace on the page
            log.exception("reading an uploaded plan failed")
            return ("⚠️ Không đọc được tệp này. Vui lòng kiểm tra tệp và thử lại.", *hidden)
        values = [getattr(draft.info, name) for name, _ in FIELDS]
        return (report_markdown(draft), gr.update(visible=True), *values, outline_text(draft), draft)

    def on_confirm(self, draft: Draft | None, *values, progress=gr.Progress(track_tqdm=True)):
        keep = [gr.update() for _ in self.refresh_outputs]
        if draft is None:
            return ("⚠️ Hãy đọc một tệp kế hoạch trước khi xác nhận.", gr.update(), draft, *keep)
        fields = {name: (value or "").strip() for (name, _), value in zip(FIELDS, values)}
        info = Overrides(**fields).apply(draft.info)  # an emptied box keeps what was detected
        try:
            report = self.adder().commit(draft, info, progress=lambda share, message: progress(share, desc=message),
                                         tqdm_progress=True)
            progress(0.95, desc="Đang nạp lại trợ lý…")
            self.ctx.loader.reload()
        except IngestError as exc:
            return (f"⚠️ {exc}", gr.update(), draft, *keep)
        except Exception:
            log.exception("adding an uploaded plan failed")
            return ("⚠️ Không thêm được kế hoạch; kho kế hoạch và chỉ mục vẫn như trước.", gr.update(), draft, *keep)
        done = (f"✅ Đã thêm kế hoạch **{report.plan.short_name}** (mã `{report.plan.id}`, "
                f"{report.counts.clauses} điều khoản). Có thể hỏi về kế hoạch này ngay ở thẻ «Hỏi đáp».")
        return (done, gr.update(visible=False), None, *self.refresh())

    # --- layout and wiring -----------------------------------------------------------------------

    def layout(self) -> None:
        with gr.Tab("Thêm kế hoạch", visible=False, elem_id="tab-add-plan") as self.tab:
            gr.Markdown("Thêm kế hoạch của một tỉnh, thành phố từ tệp **.docx**, **.pdf** (có lớp chữ hoặc bản quét) "
                        "hoặc **.txt / .md** (tối đa 50 MB). Trợ lý đọc cấu trúc và thông tin của văn bản; bạn kiểm tra, "
                        "sửa rồi xác nhận, sau đó hỏi về kế hoạch ngay.")
            self.upload = gr.File(label="Tệp kế hoạch", file_types=[".docx", ".pdf", ".txt", ".md"], type="filepath",
                                  elem_id="plan-file")
            self.read = gr.Button("Đọc tệp", variant="primary", elem_id="read-plan")
            self.status = gr.Markdown("", elem_id="add-status")
            with gr.Column(visible=False) as self.form:
                box = lambda name, label, **kw: gr.Textbox(label=label, elem_id=f"plan-{name.replace('_', '-')}", **kw)  # noqa: E731
                with gr.Row():
                    self.boxes = [box(name, label, scale=2 if name == "title" else 1) for name, label in FIELDS[:3]]
                with gr.Row():
                    self.boxes += [box(name, label) for name, label in FIELDS[3:]]
                self.outline = gr.Textbox(label="Mục lục (địa chỉ điều khoản)", lines=18, max_lines=30,
                                          interactive=False, elem_id="add-outline")
                self.confirm = gr.Button("Xác nhận thêm kế hoạch", variant="primary", elem_id="confirm-plan")
            self.draft = gr.State(None)

    def wire(self, demo: gr.Blocks) -> None:
        wire = self.ctx.wire
        wire.on(self.read.click, self.on_read, Role.ADMIN, inputs=self.upload,
                outputs=[self.status, self.form, *self.boxes, self.outline, self.draft], concurrency_limit=1)
        wire.on(self.confirm.click, self.on_confirm, Role.ADMIN, inputs=[self.draft, *self.boxes],
                outputs=[self.status, self.form, self.draft, *self.refresh_outputs], concurrency_limit=1)
        wire.show_for(demo, self.tab, Role.ADMIN)
