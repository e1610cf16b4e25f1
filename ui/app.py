"""The web chat: a Gradio page over Assistant — chat, sources panel with page images, report picker and upload."""

from __future__ import annotations

import hashlib
import shutil
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from assistant.settings import SAMPLE_REPORT, load_settings  # first: it turns Gradio analytics off

import gradio as gr

from assistant.errors import AssistantError, ReportError
from assistant.model import Answer
from ui import render

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_SUFFIXES = (".pdf", ".txt")

# Questions that work on any standard 部门决算: lookup, its follow-up, a calculation, a narrative.
EXAMPLES = (
    ("查数", "社会保障和就业支出决算是多少"),
    ("追问", "其中基本支出是多少"),
    ("计算", "基本支出占本年支出的比例是多少"),
    ("文字", "部门主要职能有哪些"),
)

UPLOAD_HINT = "上传一份部门决算（PDF 或 TXT，不超过 50 MB），导入后对话自动切换到这份报告；已导入的报告可在上方切换。"

CSS = """
#chat .message { font-size: 15px; }
#example-row button { font-size: 13px; }
#page-image img { object-fit: contain; }
"""


@dataclass
class Session:
    """One browser session: its report, its follow-up context and the answers shown in its chat."""

    report_id: str | None
    conversation: object
    history: list[dict] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)  # chat message index → answer
    shown: int | None = None  # the message whose citations the sources panel lists
    pending: list[str] = field(default_factory=list)  # questions shown in the chat, awaiting answers


def build_app(assistant, *, default_report: str | None = None) -> gr.Blocks:
    """The Gradio page over an Assistant; every browser session gets its own conversation."""
    sample_hash = _sha256(SAMPLE_REPORT) if SAMPLE_REPORT.exists() else ""
    audit = _audit_module()

    def report_choices() -> list[tuple[str, str]]:
        return [(_report_label(r), r.id) for r in assistant.reports()]

    def initial_report() -> str | None:
        records = assistant.reports()
        ids = [r.id for r in records]
        if default_report in ids:
            return default_report
        for r in records:
            if r.source_hash == sample_hash:
                return r.id
        return ids[0] if ids else None

    def new_session(report_id: str | None, note: str = "") -> Session:
        session = Session(report_id=report_id, conversation=assistant.new_conversation())
        if note:
            session.history.append({"role": "assistant", "content": note})
        return session

    def greeting(report_id: str | None) -> str:
        if report_id is None:
            return "还没有导入任何报告。请用上方的“上传报告”导入一份部门决算（PDF 或 TXT）。"
        record = assistant.store.report(report_id)
        name = _report_label(record) if record else report_id
        return f"当前报告：**{render.escape_markdown(name)}**。请提问，或点击输入框下方的示例问题。"

    # --- handlers (each returns updates for the components listed in its outputs) ---

    def on_load():
        report_id = initial_report()
        session = new_session(report_id, greeting(report_id))
        return (
            session,
            gr.update(choices=report_choices(), value=report_id),
            session.history,
            *_sources_cleared(),
        )

    def on_submit(question: str, session: Session | None):
        session = session or new_session(initial_report())
        question = (question or "").strip()
        if not question:
            return session, gr.update(), session.history
        session.pending.append(question)
        session.history.append({"role": "user", "content": question})
        return session, "", session.history

    def on_example(question: str, session: Session | None):
        session, _, history = on_submit(question, session)
        return session, history

    def on_answer(session: Session | None):
        question = session.pending.pop(0) if session and session.pending else None
        if not question:
            return session, gr.update(), *_sources_unchanged()
        try:
            answer = assistant.ask(question, report=session.report_id, conversation=session.conversation)
        except AssistantError as e:
            session.history.append({"role": "assistant", "content": f"⚠ {render.escape_markdown(str(e))}"})
            return session, session.history, *_sources_cleared()
        index = len(session.history)
        session.answers[index] = answer
        session.shown = index
        session.history.append(
            {"role": "assistant", "content": render.answer_markdown(answer), "options": _citation_options(index, answer)}
        )
        return session, session.history, *_sources_for(answer)

    def on_message_select(session: Session | None, evt: gr.SelectData):
        index = evt.index if isinstance(evt.index, int) else None
        answer = session.answers.get(index) if session and index is not None else None
        if answer is None:
            return session, *_sources_unchanged()
        session.shown = index
        return session, *_sources_for(answer)

    def show_citation(session: Session | None, message: int, position: int):
        answer = session.answers.get(message) if session else None
        citations = render.answer_citations(answer) if answer else ()
        if not 0 <= position < len(citations):
            return session, gr.update(), _page_image(None), "这条引用已不在当前对话中。"
        citation = citations[position]
        record = assistant.store.report(answer.report_id) if answer.report_id else None
        view = render.citation_view(citation, record.path if record else None)
        session.shown = message
        radio = gr.update(choices=_radio_choices(answer), value=str(position))
        return session, radio, _page_image(view.image), view.text

    def on_radio(value: str | None, session: Session | None):
        if value is None or session is None or session.shown is None:
            return session, gr.update(), gr.update(), gr.update()
        return show_citation(session, session.shown, int(value))

    def on_option(session: Session | None, evt: gr.SelectData):
        try:
            message, position = (int(part) for part in str(evt.value).split(":"))
        except ValueError:
            return session, gr.update(), gr.update(), gr.update()
        return show_citation(session, message, position)

    def on_pick(report_id: str | None, session: Session | None):
        if not report_id:
            return session, gr.update(), *_sources_unchanged()
        session = new_session(report_id, greeting(report_id))
        return session, session.history, *_sources_cleared()

    def on_new_chat(session: Session | None):
        report_id = session.report_id if session else initial_report()
        session = new_session(report_id, greeting(report_id))
        return session, session.history, *_sources_cleared()

    def on_upload(file, session: Session | None, progress=gr.Progress()):
        session = session or new_session(initial_report())
        unchanged = (session, gr.update(), session.history, *_sources_unchanged())
        if not file:
            return "", *unchanged
        source = Path(file if isinstance(file, str) else file.name)
        name = source.name
        suffix = source.suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            return _error(f"只能上传 PDF 或 TXT 格式的部门决算报告，“{name}”不是。"), *unchanged
        size = source.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            limit = MAX_UPLOAD_BYTES // (1024 * 1024)
            return _error(f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {limit} MB 上限。"), *unchanged
        uploads = assistant.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        stored = uploads / f"{uuid.uuid4().hex}{suffix}"  # never the user's file name or path
        shutil.copyfile(source, stored)
        progress(0.0, desc=f"导入“{name}”")
        try:
            summary = assistant.ingest(stored, progress=lambda fraction, message: progress(fraction, desc=message))
        except AssistantError as e:
            stored.unlink(missing_ok=True)
            reason = e.reason if isinstance(e, ReportError) else str(e)
            return _error(f"无法导入“{name}”：{reason}。之前导入的报告仍可使用。"), *unchanged
        failed = len(summary.failed_checks)
        pages = f"{summary.pages} 页，" if summary.pages else "文本导入，"
        checks = f"，校验 {summary.checks - failed}/{summary.checks} 通过" if summary.checks else ""
        status = (
            f"已导入“{render.escape_markdown(name)}”：{render.escape_markdown(summary.department)}"
            f"{summary.year or ''}年，{pages}{summary.tables} 张表，{summary.facts} 个数字{checks}，"
            f"用时 {summary.seconds:.1f} 秒。"
        )
        session = new_session(summary.report_id, greeting(summary.report_id))
        picker = gr.update(choices=report_choices(), value=summary.report_id)
        return status, session, picker, session.history, *_sources_cleared()

    def api_ask(question: str, session: Session | None):
        """The chat as an API: one question in this session's conversation, the Answer as JSON."""
        session = session or new_session(initial_report())
        try:
            answer = assistant.ask(question, report=session.report_id, conversation=session.conversation)
        except AssistantError as e:
            return {"kind": "error", "text": str(e)}, session
        return answer.to_dict(question=question), session

    def on_audit(session: Session | None):
        report_id = session.report_id if session else initial_report()
        if report_id is None:
            return "还没有导入任何报告。"
        try:
            findings = audit.audit_report(assistant.store, report_id)
        except AssistantError as e:
            return f"⚠ {render.escape_markdown(str(e))}"
        return "  \n".join(render.escape_markdown(line) for line in audit.render_findings(findings).splitlines())

    # --- layout ---

    # delete_cache: uploaded copies and rendered page images in Gradio's temp folder go after a day
    with gr.Blocks(title="决算问答", fill_width=True, analytics_enabled=False, delete_cache=(3600, 86400)) as app:
        session = gr.State(None)
        gr.Markdown("## 决算问答　<sub>部门决算报告问答助手：答案附出处，点开出处可看原文页面</sub>")
        with gr.Row(equal_height=True):
            picker = gr.Dropdown(label="当前报告", choices=[], scale=4, elem_id="report-picker", interactive=True)
            upload = gr.UploadButton(
                "上传报告（PDF 或 TXT，≤50 MB）", file_count="single", type="filepath", scale=1, elem_id="upload"
            )
        status = gr.Markdown(UPLOAD_HINT, elem_id="upload-status", min_height=56)
        with gr.Tabs():
            with gr.Tab("问答", id="chat-tab"):
                with gr.Row():
                    with gr.Column(scale=5):
                        chatbot = gr.Chatbot(
                            label="对话",
                            elem_id="chat",
                            height=560,
                            latex_delimiters=[],
                            feedback_options=None,
                            buttons=["copy"],
                            group_consecutive_messages=False,
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                placeholder="输入问题，例如：政企云执行率是多少",
                                show_label=False,
                                scale=6,
                                elem_id="question",
                                max_lines=3,
                            )
                            send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
                        gr.Markdown("示例问题（可先查数再追问）：")
                        with gr.Row(elem_id="example-row"):
                            example_buttons = [
                                (gr.Button(f"{kind}：{text}", size="sm", elem_classes=["example"]), text)
                                for kind, text in EXAMPLES
                            ]
                        new_chat = gr.Button("新对话", size="sm", elem_id="new-chat")
                    with gr.Column(scale=4, elem_id="sources"):
                        gr.Markdown("### 出处")
                        citations = gr.Radio(
                            label="本回答的引用（点击查看原文页面，黄色框为引用位置）", choices=[], elem_id="citations"
                        )
                        page_image = gr.Image(
                            label="原文页面",
                            show_label=False,
                            type="pil",
                            format="png",
                            interactive=False,
                            elem_id="page-image",
                            visible=False,
                        )
                        quote = gr.Markdown(elem_id="quote")
            if audit is not None:
                with gr.Tab("核对", id="audit-tab"):
                    gr.Markdown("核对当前报告：表内公式、正文数字与表格是否一致。")
                    audit_button = gr.Button("核对当前报告", elem_id="audit-run")
                    audit_out = gr.Markdown(elem_id="audit-result")
                    audit_button.click(on_audit, inputs=[session], outputs=[audit_out], concurrency_id="assistant")

        # Programmatic access (gradio_client): /ask keeps a conversation per client session.
        api_question = gr.Textbox(visible=False)
        api_answer = gr.JSON(visible=False)
        gr.Button(visible=False).click(
            api_ask, inputs=[api_question, session], outputs=[api_answer, session], api_name="ask", concurrency_id="assistant"
        )
        sources = [citations, page_image, quote]
        app.load(on_load, outputs=[session, picker, chatbot, *sources])
        answer_outputs = [session, chatbot, *sources]
        for trigger in (question.submit, send.click):
            trigger(on_submit, inputs=[question, session], outputs=[session, question, chatbot], queue=False).then(
                on_answer, inputs=[session], outputs=answer_outputs, concurrency_id="assistant", show_progress="minimal"
            )
        for button, text in example_buttons:
            button.click(partial(on_example, text), inputs=[session], outputs=[session, chatbot], queue=False).then(
                on_answer, inputs=[session], outputs=answer_outputs, concurrency_id="assistant", show_progress="minimal"
            )
        chatbot.select(on_message_select, inputs=[session], outputs=[session, *sources], show_progress="hidden")
        chatbot.option_select(on_option, inputs=[session], outputs=[session, *sources], concurrency_id="render")
        citations.input(on_radio, inputs=[citations, session], outputs=[session, *sources], concurrency_id="render")
        picker.input(on_pick, inputs=[picker, session], outputs=[session, chatbot, *sources])
        new_chat.click(on_new_chat, inputs=[session], outputs=[session, chatbot, *sources])
        chatbot.clear(on_new_chat, inputs=[session], outputs=[session, chatbot, *sources])
        upload.upload(
            on_upload,
            inputs=[upload, session],
            outputs=[status, session, picker, chatbot, *sources],
            concurrency_id="ingest",
            show_progress="full",
            show_progress_on=[status],
        )
    return app


# Gradio's own size check answers in English; this one runs first, in the capture phase, in Chinese.
SIZE_GUARD = """
<script>
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  const tooBig = [...(input.files || [])].find((f) => f.size > %(limit)d);
  if (!tooBig) return;
  event.stopImmediatePropagation();
  input.value = "";
  const status = document.querySelector("#upload-status .prose") || document.querySelector("#upload-status");
  if (status) {
    const mb = (tooBig.size / 1048576).toFixed(1);
    status.textContent = `⚠ “${tooBig.name}”有 ${mb} MB，超过 %(mb)d MB 上限，没有上传。`;
  }
}, true);
</script>
""" % {"limit": MAX_UPLOAD_BYTES, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}


def _sources_for(answer: Answer) -> tuple:
    choices = _radio_choices(answer)
    hint = "点击上方的引用查看原文页面。" if choices else "这个回答没有引用。"
    return gr.update(choices=choices, value=None), _page_image(None), hint


def _sources_cleared() -> tuple:
    return gr.update(choices=[], value=None), _page_image(None), ""


def _page_image(image) -> dict:
    """Show the page image only when there is one (text reports have none)."""
    return gr.update(value=image, visible=image is not None)


def _sources_unchanged() -> tuple:
    return gr.update(), gr.update(), gr.update()


def _radio_choices(answer: Answer) -> list[tuple[str, str]]:
    return [(f"[{i}] {render.citation_title(c)}", str(i - 1)) for i, c in enumerate(render.answer_citations(answer), 1)]


def _citation_options(message: int, answer: Answer) -> list[dict]:
    options = []
    for i, c in enumerate(render.answer_citations(answer), 1):
        label = c.label if len(c.label) <= 36 else c.label[:35] + "…"
        options.append({"label": f"查看出处 [{i}] {label} · {render.page_text(c.page)}", "value": f"{message}:{i - 1}"})
    return options


def _error(message: str) -> str:
    return f"⚠ {render.escape_markdown(message)}"


def _report_label(record) -> str:
    year = f"{record.year}年" if record.year else ""
    return f"{record.department}{year}（{record.id}）"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _audit_module():
    """assistant.audit when it exists; the 核对 tab is shown only then."""
    try:
        from assistant import audit
    except ImportError:
        return None
    return audit if hasattr(audit, "audit_report") and hasattr(audit, "render_findings") else None


def ensure_sample(assistant) -> str | None:
    """Ingest the bundled sample report unless a report with the same content is already stored."""
    if not SAMPLE_REPORT.exists():
        return None
    digest = _sha256(SAMPLE_REPORT)
    for record in assistant.reports():
        if record.source_hash == digest:
            return record.id
    print(f"首次启动：正在导入示例报告 {SAMPLE_REPORT.name}（只需一次）…", flush=True)
    return assistant.ingest(SAMPLE_REPORT).report_id


def launch(app: gr.Blocks, *, host: str = "127.0.0.1", port: int = 7860, block: bool = True):
    """Start the server on host:port: no share link, no footer links, uploads capped at 50 MB."""
    return app.launch(
        server_name=host,
        server_port=port,
        share=False,
        inbrowser=False,
        show_error=True,
        max_file_size=MAX_UPLOAD_BYTES,
        footer_links=[],
        enable_monitoring=False,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
        css=CSS,
        head=SIZE_GUARD,
        prevent_thread_lock=not block,
        quiet=False,
    )


def serve(*, host: str = "127.0.0.1", port: int = 7860) -> None:
    """`python -m assistant serve`: open the store, ingest the sample on first start, serve the chat."""
    from assistant.service import Assistant

    started = time.perf_counter()
    assistant = Assistant(settings=load_settings())
    sample_id = ensure_sample(assistant)
    app = build_app(assistant, default_report=sample_id)
    print(f"决算问答网页：http://{host}:{port}（准备用时 {time.perf_counter() - started:.1f} 秒）", flush=True)
    launch(app, host=host, port=port)
