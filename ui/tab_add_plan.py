"""The "Thêm kế hoạch" tab (administrators only): upload a DOCX, PDF or text file, see the
metadata detected and the outline with its warnings, correct the metadata, confirm; the plan is
then written to the corpus, the index is updated, and the running assistant reloads so the
plan can be asked about at once (the plan filter and the agency view include it)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from rag.config import Settings
from rag.ingest.add import Draft, PlanAdder
from rag.ingest.detect import Overrides
from rag.ingest.errors import IngestError
from ui.access import Access, Role

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


def add_plan_tab(settings: Settings, loader, access: Access, demo: gr.Blocks,
                 refresh: Callable[[], tuple], refresh_outputs: list) -> gr.Tab:
    """Build the tab (call inside ``gr.Tabs()``). ``refresh`` re-reads the reloaded corpus and
    returns updates for ``refresh_outputs`` (plan filters, agency list)."""

    def adder() -> PlanAdder:
        assistant = loader.assistant if loader.ready.is_set() else None
        return PlanAdder(settings, embedder=getattr(assistant, "embedder", None))

    with gr.Tab("Thêm kế hoạch", visible=False, elem_id="tab-add-plan") as tab:
        gr.Markdown("Thêm kế hoạch của một tỉnh, thành phố từ tệp **.docx**, **.pdf** (có lớp chữ hoặc bản quét) "
                    "hoặc **.txt / .md** (tối đa 50 MB). Trợ lý đọc cấu trúc và thông tin của văn bản; bạn kiểm tra, "
                    "sửa rồi xác nhận, sau đó hỏi về kế hoạch ngay.")
        upload = gr.File(label="Tệp kế hoạch", file_types=[".docx", ".pdf", ".txt", ".md"], type="filepath",
                         elem_id="plan-file")
        read = gr.Button("Đọc tệp", variant="primary", elem_id="read-plan")
        status = gr.Markdown("", elem_id="add-status")
        with gr.Column(visible=False) as form:
            with gr.Row():
                boxes = [gr.Textbox(label=label, elem_id=f"plan-{name.replace('_', '-')}", scale=2 if name == "title" else 1)
                         for name, label in FIELDS[:3]]
            with gr.Row():
                boxes += [gr.Textbox(label=label, elem_id=f"plan-{name.replace('_', '-')}") for name, label in FIELDS[3:]]
            outline = gr.Textbox(label="Mục lục (địa chỉ điều khoản)", lines=18, max_lines=30, interactive=False,
                                 elem_id="add-outline")
            confirm = gr.Button("Xác nhận thêm kế hoạch", variant="primary", elem_id="confirm-plan")
        draft_state = gr.State(None)

    def on_read(file, progress=gr.Progress(track_tqdm=True)):
        hidden = (gr.update(visible=False), *[gr.update() for _ in boxes], gr.update(), None)
        if not file:
            return ("⚠️ Hãy chọn một tệp kế hoạch trước.", *hidden)
        try:
            draft = adder().prepare(Path(file), progress=lambda share, message: progress(share, desc=message))
        except IngestError as exc:
            return (f"⚠️ {exc}", *hidden)
        except Exception:  # never a stack trace on the page
            log.exception("reading an uploaded plan failed")
            return ("⚠️ Không đọc được tệp này. Vui lòng kiểm tra tệp và thử lại.", *hidden)
        values = [getattr(draft.info, name) for name, _ in FIELDS]
        return (report_markdown(draft), gr.update(visible=True), *values, outline_text(draft), draft)

    def on_confirm(draft: Draft | None, *values, progress=gr.Progress(track_tqdm=True)):
        keep = (gr.update(), None, *[gr.update() for _ in refresh_outputs])
        if draft is None:
            return ("⚠️ Hãy đọc một tệp kế hoạch trước khi xác nhận.", gr.update(), draft, *keep[2:])
        fields = {name: (value or "").strip() for (name, _), value in zip(FIELDS, values)}
        info = Overrides(**fields).apply(draft.info)  # an emptied box keeps what was detected
        try:
            report = adder().commit(draft, info, progress=lambda share, message: progress(share, desc=message),
                                    tqdm_progress=True)
            progress(0.95, desc="Đang nạp lại trợ lý…")
            loader.reload()
        except IngestError as exc:
            return (f"⚠️ {exc}", gr.update(), draft, *keep[2:])
        except Exception:
            log.exception("adding an uploaded plan failed")
            return ("⚠️ Không thêm được kế hoạch; kho kế hoạch và chỉ mục vẫn như trước.", gr.update(), draft,
                    *keep[2:])
        done = (f"✅ Đã thêm kế hoạch **{report.plan.short_name}** (mã `{report.plan.id}`, "
                f"{report.counts.clauses} điều khoản). Có thể hỏi về kế hoạch này ngay ở thẻ «Hỏi đáp».")
        return (done, gr.update(visible=False), None, *refresh())

    read.click(on_read, inputs=upload, outputs=[status, form, *boxes, outline, draft_state],
               api_visibility="private", concurrency_limit=1)
    confirm.click(on_confirm, inputs=[draft_state, *boxes], outputs=[status, form, draft_state, *refresh_outputs],
                  api_visibility="private", concurrency_limit=1)
    def show(request: gr.Request):
        return gr.update(visible=access.allows(request, Role.ADMIN))

    demo.load(show, outputs=tab, api_visibility="private")
    return tab
