"""The web chat: a Gradio page over Assistant — chat with the cited page in view, tables, audit, upload, export."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import logging
import queue
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from assistant.settings import SAMPLE_REPORT, load_settings  # first: it turns Gradio analytics off

import gradio as gr

from assistant.errors import AssistantError, ReportError
from assistant.model import Citation
from ui import render

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_SUFFIXES = (".pdf", ".txt")
SAVED_VERSION = 2  # the layout of the conversation kept in the browser's storage (1: no cell figures)
FAILED = "这个问题没能回答："  # how a reply starts when answering raised: the conversation goes on
THINKING = "⏳ 正在回答…"
NO_SOURCE = "这个回答没有引用原文。"
NO_ANSWER = "这个问题没有得到回答，没有可显示的原文出处。"  # the sources panel after a failed answer
# An answer's message carries this (empty, unseen) mark: 👍/👎 are shown on answers only, never on the greeting,
# a switch or an import note. Gradio's Chatbot offers feedback for every bot message or none.
ANSWER_MARK = '<span class="answer-mark"></span>'
FEEDBACK_LABELS = ("Like", "Dislike", "Liked", "Disliked", "赞", "踩")  # the thumbs' labels, before and after translation
HEADING_CHARS = 40  # a pasted long question is a heading of this length, then quoted in full
log = logging.getLogger("juesuan.ui")

# Questions that work on any standard 部门决算: lookup, its follow-up, a calculation, a narrative.
EXAMPLES = (
    ("查数", "社会保障和就业支出决算是多少"),
    ("追问", "其中基本支出是多少"),
    ("计算", "基本支出占本年支出的比例是多少"),
    ("文字", "部门主要职能有哪些"),
)

_feedback_lock = threading.Lock()
_REPORT_ID = re.compile(r"\br\d{4}-[0-9a-f]{6,}\b")

# The chat takes the height the screen leaves once the bar, the tabs, the question box and the examples
# are placed, so all of them are in view without scrolling at 1366×768 and on a 390 px phone.
CSS = """
.gradio-container { padding-top: 6px !important; }
#title { margin: 0; }
#title h2 { margin: 2px 0; font-size: 20px; }
#top-bar { align-items: flex-end; }
#top-bar > button { flex-grow: 0; }
#report-picker { padding: 4px 8px; }
#chat { height: calc(100dvh - 356px) !important; min-height: 240px; }
#chat .message { font-size: 15px; }
#chat details.how { margin-top: 6px; font-size: 13px; color: var(--body-text-color-subdued); }
#chat details.how summary { cursor: pointer; color: var(--link-text-color); }
#example-row { flex-wrap: wrap; gap: 6px; }
#example-row button { font-size: 13px; flex: 0 0 auto; white-space: nowrap; min-width: auto; }
#page-image img, #audit-image img { width: 100%; height: auto; object-fit: contain; }
#page-image, #audit-image { height: auto !important; }
#page-image .image-container, #audit-image .image-container { height: auto !important; }
#client-note, #cell-x, #cite-pick { display: none !important; }
#answer-card-row { display: none !important; }
#answer-card { font-size: 14px; }
#chat a[href^="#cite-"] { text-decoration: none; font-size: 12px; vertical-align: super; }
#feedback-row { margin-top: 4px; }
#table-view .table-scroll { max-height: 62dvh; overflow: auto; max-width: 100%; }
#table-view table { border-collapse: collapse; font-size: 13px; }
#table-view th, #table-view td { border: 1px solid var(--border-color-primary); padding: 2px 6px; white-space: nowrap; }
#table-bar { align-items: flex-end; }
#table-bar > button { flex-grow: 0; }
#table-view td.num { text-align: right; white-space: nowrap; }
@media (max-width: 640px) {
  #title h2 { font-size: 17px; }
  #title sub { display: none; }
  #chat { height: calc(100dvh - 390px) !important; }
  #example-row { flex-wrap: nowrap; overflow-x: auto; }
  /* under the chat, the source panel starts with the answer it backs and a way back to the chat */
  #answer-card-row { display: flex !important; flex-wrap: nowrap; align-items: center; }
  #table-view .table-scroll { max-width: calc(100vw - 32px); }
  /* a phone shows the cited rows at a readable size; the reader pans across the row */
  #page-image .image-container > button, #audit-image .image-container > button { display: block; width: 100%; }
  #page-image .image-frame, #audit-image .image-frame {
    display: block; overflow-x: auto; max-width: calc(100vw - 40px); text-align: left;
  }
  #page-image img, #audit-image img { width: auto !important; max-width: none !important; height: 40dvh !important; }
  #top-bar button { font-size: 13px; }
}
"""
# the thumbs under a bot message that is not an answer (its row has no answer mark)
CSS += ",\n".join(
    f'#chat .message-row.bot-row:not(:has(.answer-mark)) + .message-buttons button[aria-label="{label}"]'
    for label in FEEDBACK_LABELS
) + " { display: none !important; }\n"


@dataclass(frozen=True)
class AnswerRecord:
    """What the chat keeps of one answer: its report, its citations and its text for the export."""

    report_id: str
    question: str
    body: str  # markdown shown to the reader (without the 如何得出 block)
    citations: tuple[Citation, ...]
    figures: tuple[tuple[float | None, str], ...] = ()  # per citation: the cell's figure and column, to frame it
    value: str = ""  # the answer's figure as shown ("86.3%"), for feedback

    def to_saved(self) -> dict:
        return {"report_id": self.report_id, "question": self.question, "body": self.body,
                "citations": [asdict(c) for c in self.citations], "figures": [list(f) for f in self.figures],
                "value": self.value}

    @classmethod
    def from_saved(cls, data: dict) -> AnswerRecord:
        citations = tuple(Citation(**c) for c in data.get("citations", ()))
        figures = tuple((f[0], str(f[1])) for f in data.get("figures", ()))
        return cls(data.get("report_id", ""), data.get("question", ""), data.get("body", ""), citations, figures,
                   data.get("value", ""))

    def figure(self, position: int) -> tuple[float | None, str]:
        return self.figures[position] if 0 <= position < len(self.figures) else (None, "")


@dataclass
class Session:
    """One browser: its report, its follow-up context and the chat (kept in the browser across reloads)."""

    report_id: str | None
    conversation: object
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    history: list[dict] = field(default_factory=list)
    answers: dict[int, AnswerRecord] = field(default_factory=dict)  # chat message index → answer
    shown: int | None = None  # the message whose citations the sources panel lists
    position: int = 0  # which of its citations is on screen
    whole_page: bool = False
    pending: list[tuple[str, dict]] = field(default_factory=list)  # questions awaiting answers, with their placeholder
    findings: list = field(default_factory=list)  # the 核对 tab's findings for report_id
    feedback: dict | None = None  # the last 👎 entry, awaiting its optional correct answer
    audited: str | None = None  # the report whose findings the 核对 tab shows

    def to_saved(self) -> dict:
        return {
            "version": SAVED_VERSION,
            "key": self.key,
            "report": self.report_id,
            "history": [{"role": m["role"], "content": m["content"]} for m in self.history],
            "answers": {str(i): record.to_saved() for i, record in self.answers.items()},
        }

    @classmethod
    def from_saved(cls, data, conversation) -> Session | None:
        if not isinstance(data, dict) or data.get("version") not in (1, SAVED_VERSION):
            return None
        try:
            history = [{"role": m["role"], "content": m["content"]} for m in data.get("history", [])]
            answers = {int(i): AnswerRecord.from_saved(r) for i, r in data.get("answers", {}).items()}
        except (KeyError, TypeError, ValueError):
            return None
        for i in answers:  # a chat kept before answers were marked still gets 👍/👎 on its answers
            if 0 <= i < len(history) and ANSWER_MARK not in str(history[i]["content"]):
                history[i]["content"] = marked_answer(str(history[i]["content"]))
        return cls(data.get("report"), conversation, key=data.get("key") or uuid.uuid4().hex,
                   history=history, answers=answers)


def build_app(assistant, *, default_report: str | None = None) -> gr.Blocks:
    """The Gradio page over an Assistant; every browser keeps its own conversation."""
    sample_hash = _sha256(SAMPLE_REPORT) if SAMPLE_REPORT.exists() else ""
    audit = _audit_module()
    exports = Path(tempfile.gettempdir()) / "juesuan-exports"

    def labels() -> dict[str, str]:
        return {r.id: report_name(r) for r in assistant.reports()}

    def name_of(report_id: str | None) -> str:
        record = assistant.store.report(report_id) if report_id else None
        return report_name(record) if record else "（未选择报告）"

    def readable(text: str) -> str:
        """Report ids are internal: a message names reports by department and year."""
        if not _REPORT_ID.search(text):
            return text
        names = labels()
        return _REPORT_ID.sub(lambda m: names.get(m.group(0), "该报告"), text)

    def say(session: Session, text: str) -> None:
        session.history.append({"role": "assistant", "content": readable(text)})

    def report_choices() -> list[tuple[str, str]]:
        return [(report_name(r), r.id) for r in assistant.reports()]

    def initial_report() -> str | None:
        records = assistant.reports()
        ids = [r.id for r in records]
        if default_report in ids:
            return default_report
        for r in records:
            if r.source_hash == sample_hash:
                return r.id
        return ids[0] if ids else None

    def greeting(report_id: str | None) -> str:
        if report_id is None:
            return "还没有导入任何报告。请用上方的“上传报告”导入一份部门决算（PDF 或 TXT）。"
        return f"当前报告：**{render.escape_markdown(name_of(report_id))}**。请提问，或点击输入框下方的示例问题。"

    def new_session(report_id: str | None) -> Session:
        session = Session(report_id=report_id, conversation=assistant.new_conversation())
        say(session, greeting(report_id))
        return session

    def switch(session: Session, report_id: str, how: str = "") -> None:
        """Point the session at another report: the chat stays and says so; follow-ups start afresh."""
        session.report_id = report_id
        session.conversation = assistant.new_conversation()
        session.findings = []
        say(session, f"{how}已切换到：**{render.escape_markdown(name_of(report_id))}**。之后的问题都问这份报告。")

    # --- chat ---

    def on_load(saved):
        session = Session.from_saved(saved, assistant.new_conversation())
        known = {r.id for r in assistant.reports()}
        if session is None or not session.history:
            session = new_session(initial_report())
        elif session.report_id not in known:
            replacement = initial_report()
            say(session, "上次使用的报告已不在本机。")
            if replacement:
                switch(session, replacement)
        picker_update = gr.update(choices=report_choices(), value=session.report_id)
        last = restored_source(session)
        if last is None:
            return session, picker_update, session.history, *_sources_cleared(), export_file(session)
        session.shown, session.position, session.whole_page = last, 0, False  # a restored chat shows its last source
        radio = gr.update(choices=_radio_choices(session.answers[last]), value="0")
        return session, picker_update, session.history, radio, gr.update(), "", export_file(session)

    def on_submit(question: str, session: Session | None):
        session = session or new_session(initial_report())
        question = (question or "").strip()
        if not question:
            return session, gr.update(), session.history
        session.history.append({"role": "user", "content": question})
        placeholder = {"role": "assistant", "content": THINKING}
        session.history.append(placeholder)
        session.pending.append((question, placeholder))
        return session, "", session.history

    def on_example(question: str, session: Session | None):
        session, _, history = on_submit(question, session)
        return session, history

    def on_answer(session: Session | None):
        if not session or not session.pending:
            return session, gr.update(), *_sources_unchanged()
        question, placeholder = session.pending.pop(0)
        index = next((i for i, m in enumerate(session.history) if m is placeholder), None)
        if index is None:  # a new chat was started meanwhile: answer at the end
            index = len(session.history)
            session.history.append(placeholder)
        content, record = reply(assistant, question, session, name_of=name_of, readable=readable)
        placeholder["content"] = content if record is None else marked_answer(content)
        note = show_reply(session, index, record)
        if record is None or not record.citations:
            # the panel must not keep the previous answer's page up as if it were this reply's source
            return session, session.history, gr.update(choices=[], value=None), _page_image(None), note
        return session, session.history, gr.update(choices=_radio_choices(record), value="0"), gr.update(), "正在载入原文页面…"

    def citation_outputs(session: Session):
        """The sources panel for the citation on screen: image (framed cell, boxed rows, or the whole page),
        quote, the answer it backs (for a phone, where the chat is out of view) and where the cell stands."""
        record = session.answers.get(session.shown) if session.shown is not None else None
        if record is None or not record.citations:
            return _page_image(None), gr.update(visible=False), NO_SOURCE if record else "", "", ""
        position = min(max(session.position, 0), len(record.citations) - 1)
        citation = record.citations[position]
        report = assistant.store.report(record.report_id) if record.report_id else None
        value, column = record.figure(position)
        view = render.citation_view(citation, report.path if report else None, value=value, column=column)
        image = view.page if session.whole_page and view.page is not None else view.image
        toggle = gr.update(visible=view.image is not None and view.highlighted,
                           value="只看引用处" if session.whole_page else "查看整页")
        card = f"**[{position + 1}]** {answer_summary(record)}"
        cell_x = "" if session.whole_page or view.cell_x is None else f"{view.cell_x:.3f}|{time.time()}"
        return _page_image(image), toggle, view.text, card, cell_x

    def on_show_top(session: Session | None):
        """The sources panel for the answer last shown; nothing (no page, no answer card) after a failed one."""
        if session is None or session.shown is None:
            return _page_image(None), gr.update(visible=False), gr.update(), "", ""
        return citation_outputs(session)

    def on_cite(pick: str, session: Session | None):
        """A [n] marker clicked in an answer ("message index|n|time"): that answer's n-th source."""
        try:
            index, n = (int(part) for part in pick.split("|")[:2])
        except ValueError:
            return session, gr.update(), *[gr.update()] * 5
        record = session.answers.get(index) if session else None
        if record is None or not 1 <= n <= len(record.citations):
            return session, gr.update(), *[gr.update()] * 5
        session.shown, session.position, session.whole_page = index, n - 1, False
        return session, gr.update(choices=_radio_choices(record), value=str(n - 1)), *citation_outputs(session)

    def on_message_select(session: Session | None, evt: gr.SelectData):
        index = evt.index if isinstance(evt.index, int) else None
        record = session.answers.get(index) if session and index is not None else None
        if record is None or not record.citations:
            return session, gr.update(), *[gr.update()] * 5
        session.shown, session.position, session.whole_page = index, 0, False
        return session, gr.update(choices=_radio_choices(record), value="0"), *citation_outputs(session)

    def on_radio(value: str | None, session: Session | None):
        if value is None or session is None or session.shown is None:
            return session, *[gr.update()] * 5
        session.position, session.whole_page = int(value), False
        return session, *citation_outputs(session)

    def on_whole_page(session: Session | None):
        if session is None or session.shown is None:
            return session, *[gr.update()] * 5
        session.whole_page = not session.whole_page
        return session, *citation_outputs(session)

    def on_pick(report_id: str | None, session: Session | None):
        session = session or new_session(initial_report())
        if not report_id or report_id == session.report_id:
            return session, session.history
        switch(session, report_id)
        return session, session.history

    def on_new_chat(session: Session | None, past):
        """A new conversation; the one on screen goes to the 历史 tab's list (when it asked anything)."""
        report_id = session.report_id if session else initial_report()
        past = archive(past, session.to_saved() if session else None)
        fresh = new_session(report_id)
        return fresh, fresh.history, *_sources_cleared(), past, _past_choices(past)

    def on_open_past(value: str | None, session: Session | None, past):
        """Open a past conversation (the one on screen takes its place in the list) and go to the chat."""
        past = list(past or [])
        if value is None or not 0 <= int(value) < len(past):
            return session, gr.update(), gr.update(), *_sources_cleared(), past, _past_choices(past), gr.update()
        chosen = past.pop(int(value))
        restored = Session.from_saved(chosen, assistant.new_conversation())
        if restored is None:
            return session, gr.update(), gr.update(), *_sources_cleared(), past, _past_choices(past), gr.update()
        # The one opened leaves the list, even when the session on screen is still that same conversation (a new
        # chat not yet applied to the state when 打开 is pressed): it is on screen now, not in the past.
        past = [p for p in archive(past, session.to_saved() if session else None) if p.get("key") != chosen.get("key")]
        if restored.report_id not in {r.id for r in assistant.reports()}:
            say(restored, "这段对话用的报告已不在本机。")
            replacement = initial_report()
            if replacement:
                switch(restored, replacement)
        picker_update = gr.update(choices=report_choices(), value=restored.report_id)
        return (restored, picker_update, restored.history, *_sources_cleared(), past, _past_choices(past),
                gr.Tabs(selected="chat-tab"))

    def on_delete_past(value: str | None, past):
        past = list(past or [])
        if value is not None and 0 <= int(value) < len(past):
            past.pop(int(value))
        return past, _past_choices(past)

    def on_client_note(note: str, session: Session | None):
        """A refusal the page made before sending anything (a file over the size limit) becomes a chat reply."""
        session = session or new_session(initial_report())
        if note.strip():
            say(session, f"⚠ {render.escape_markdown(note.split('|', 1)[-1].strip())}")
        return session, session.history

    def on_upload(file, session: Session | None):
        session = session or new_session(initial_report())
        if not file:
            yield session, gr.update(), session.history
            return
        source = Path(file if isinstance(file, str) else file.name)
        name = source.name
        suffix = source.suffix.lower()
        size = source.stat().st_size
        refusal = ""
        if suffix not in UPLOAD_SUFFIXES:
            refusal = f"只能上传 PDF 或 TXT 格式的部门决算报告，“{name}”不是。"
        elif size > MAX_UPLOAD_BYTES:
            refusal = f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB 上限。"
        if refusal:
            say(session, f"⚠ {render.escape_markdown(refusal)}")
            yield session, gr.update(), session.history
            return
        uploads = assistant.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        # named by its content, never the user's file name or path: the same file uploaded again is one copy
        stored = uploads / f"{_sha256(Path(source))[:32]}{suffix}"
        if not stored.exists():
            shutil.copyfile(source, stored)
        shown_name = render.escape_markdown(name)
        message = {"role": "assistant", "content": f"正在导入“{shown_name}”…（导入期间仍可提问，回答针对当前报告）"}
        session.history.append(message)
        yield session, gr.update(), session.history

        stages: queue.Queue = queue.Queue()
        outcome: dict = {}

        def work():
            try:
                outcome["summary"] = assistant.ingest(stored, progress=lambda share, what: stages.put((share, what)))
            except AssistantError as e:
                outcome["error"] = e
            except Exception as e:  # noqa: BLE001 — anything else still becomes a reply, not a silent failure
                outcome["error"] = e
            finally:
                stages.put(None)

        threading.Thread(target=work, daemon=True).start()
        while (stage := stages.get()) is not None:
            share, what = stage
            message["content"] = f"正在导入“{shown_name}”：{what}（{share:.0%}）…导入期间仍可提问，回答针对当前报告。"
            yield session, gr.update(), session.history
        error = outcome.get("error")
        if error is not None:
            stored.unlink(missing_ok=True)
            reason = error.reason if isinstance(error, ReportError) else str(error)
            message["content"] = readable(f"⚠ 无法导入“{shown_name}”：{render.escape_markdown(reason)}。之前导入的报告仍可使用。")
            yield session, gr.update(), session.history
            return
        summary = outcome["summary"]
        failed = len(summary.failed_checks)
        pages = f"{summary.pages} 页，" if summary.pages else "文本导入，"
        checks = f"，校验 {summary.checks - failed}/{summary.checks} 通过" if summary.checks else ""
        message["content"] = (
            f"已导入“{shown_name}”：{pages}{summary.tables} 张表，{summary.facts} 个数字{checks}，"
            f"用时 {summary.seconds:.1f} 秒。"
        )
        switch(session, summary.report_id)
        yield session, gr.update(choices=report_choices(), value=summary.report_id), session.history

    def export_file(session: Session) -> dict:
        """The “导出对话” button's file: the conversation so far as Markdown."""
        folder = exports / session.key
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "决算问答对话.md"
        path.write_text(conversation_markdown(session, name_of), encoding="utf-8")
        return gr.update(value=str(path))

    def on_chat_change(session: Session | None):
        """Keep the conversation in the browser and refresh the “导出对话” file."""
        if session is None:
            return gr.update(), gr.update()
        return session.to_saved(), export_file(session)

    def api_ask(question: str, session: Session | None):
        """The chat as an API: one question in this session's conversation, the Answer as JSON."""
        session = session or new_session(initial_report())
        try:
            answer = assistant.ask(question, report=session.report_id, conversation=session.conversation)
        except Exception as e:  # noqa: BLE001 — an API caller gets the failure as a reply too
            if not isinstance(e, AssistantError):
                log.exception("answering failed: question=%r report=%s", question, session.report_id)
            return {"kind": "error", "text": str(e)}, session
        return answer.to_dict(question=question), session

    # --- feedback ---

    def feedback_path() -> Path:
        return Path(assistant.settings.data_dir) / "feedback.jsonl"

    def store_feedback(entry: dict) -> None:
        path = feedback_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with _feedback_lock, open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def on_like(session: Session | None, evt: gr.LikeData):
        """👍/👎 on an answer is stored under the data directory; 👎 opens a box for the correct answer."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        record = session.answers.get(index) if session and isinstance(index, int) else None
        if record is None:
            return session, gr.update(visible=False), gr.update()
        liked = evt.liked if isinstance(evt.liked, bool) else str(evt.liked).lower() in ("like", "true", "👍")
        earlier = [r.question for i, r in sorted(session.answers.items()) if i < index and r.report_id == record.report_id]
        entry = {
            "id": uuid.uuid4().hex[:12], "time": datetime.now().isoformat(timespec="seconds"),
            "report_id": record.report_id, "report": name_of(record.report_id), "question": record.question,
            "context": earlier[-3:], "answer": record.value or _strip_html(record.body.split("\n\n")[0]),
            "liked": liked, "correction": "",
            "citations": [render.citation_title(c) for c in record.citations],
        }
        store_feedback(entry)
        session.feedback = entry
        if liked:
            return session, gr.update(visible=False), gr.update(value="")
        return session, gr.update(visible=True), gr.update(value="", placeholder=f"“{record.question[:30]}”的正确答案（可选），例如 264.87万元")

    def on_correction(text: str, session: Session | None):
        entry = getattr(session, "feedback", None) if session else None
        text = (text or "").strip()
        if entry is None or not text:
            return session, gr.update(visible=False), "", gr.update()
        store_feedback({**entry, "correction": text, "time": datetime.now().isoformat(timespec="seconds")})
        say(session, f"已记下更正：“{render.escape_markdown(entry['question'][:60])}”→ {render.escape_markdown(text[:200])}。谢谢！")
        session.feedback = None
        return session, gr.update(visible=False), "", session.history

    # --- 表格 ---

    def table_outputs(report_id: str | None, key: str | None):
        tables = assistant.store.tables(report_id) if report_id else []
        choices = [(f"{render.display_label(t.label)}（{_pages_text(t.pages)}）", t.key) for t in tables]
        chosen = next((t for t in tables if t.key == key), tables[0] if tables else None)
        if chosen is None:
            hidden = gr.update(value=None, visible=False)
            return gr.update(choices=[], value=None), "<p>这份报告没有识别出表格。</p>", hidden, hidden
        folder = exports / "tables" / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        stem = _file_name(f"{name_of(report_id)}-{render.display_label(chosen.label)}")
        csv_path = folder / f"{stem}.csv"
        csv_path.write_text(table_csv(chosen), encoding="utf-8-sig")
        long_path = folder / f"{stem}-长表.csv"
        long_path.write_text(facts_csv(assistant.store.facts(report_id, table=chosen.key)), encoding="utf-8-sig")
        return (
            gr.update(choices=choices, value=chosen.key),
            table_html(chosen),
            gr.update(value=str(csv_path), visible=True),
            gr.update(value=str(long_path), visible=True),
        )

    def on_table(key: str | None, session: Session | None):
        return table_outputs(session.report_id if session else None, key)

    # --- 核对 ---

    def audit_outputs(session: Session | None, picked: str | None = None):
        # The picker shows the report the page is on: an event that raced with a switch may still hold the
        # session as it was before it, so the picker's report wins.
        report_id = picked or (session.report_id if session else None)
        title = f"核对报告：**{render.escape_markdown(name_of(report_id))}**" if report_id else "还没有导入任何报告。"
        empty = (gr.update(choices=[], value=None, visible=False), _page_image(None), "")
        if audit is None or report_id is None:
            return session, title, "", *empty
        try:
            findings = audit.audit_report(assistant.store, report_id)
        except AssistantError as e:
            return session, title, f"⚠ {render.escape_markdown(readable(str(e)))}", *empty
        session.findings, session.audited = findings, report_id
        summary = audit.render_findings(findings).splitlines()[0]
        severity = getattr(audit, "SEVERITY_LABELS", {})
        choices = [
            (f"{i}. [{severity.get(f.severity, f.severity)}] {_finding_title(f)}", str(i - 1))
            for i, f in enumerate(findings, 1)
        ]
        hint = "点击一条查看原文页面，涉及的数字已框出。" if findings else ""
        return (
            session,
            title,
            f"{render.escape_markdown(summary)}  \n{hint}",
            gr.update(choices=choices, value=None, visible=bool(findings)),
            _page_image(None),
            "",
        )

    def audit_if_changed(session: Session | None, picked: str | None = None):
        """Opening the 核对 tab: the findings of the report on screen, unless they are shown already — a refresh
        that arrives after the reader opened a finding (the report switch's own refresh) leaves it open."""
        report_id = picked or (session.report_id if session else None)
        if session is not None and report_id is not None and session.audited == report_id and session.findings:
            return (session, *[gr.update()] * 5)  # title, summary, findings, image, detail as they are
        return audit_outputs(session, picked)

    def on_finding(value: str | None, session: Session | None):
        if value is None or session is None or not 0 <= int(value) < len(session.findings):
            return _page_image(None), gr.update()
        finding = session.findings[int(value)]
        report = assistant.store.report(session.report_id) if session.report_id else None
        sources = (*finding.stated_at, *finding.computed_from)
        page = next((s.page for s in sources if s.page), None)
        marks = [m for m in (_source_mark(s) for s in sources if s.page == page) if m is not None]
        view = render.page_view(report.path if report else None, page, marks, finding_markdown(finding))
        return _page_image(view.image), view.text

    # --- layout ---

    # delete_cache: uploaded copies and rendered page images in Gradio's temp folder go after a day
    with gr.Blocks(title="决算问答", fill_width=True, analytics_enabled=False, delete_cache=(3600, 86400)) as app:
        session = gr.State(None)
        saved = gr.BrowserState(None, storage_key="juesuan-chat")
        past = gr.BrowserState([], storage_key="juesuan-past")  # earlier conversations, newest first
        gr.Markdown("## 决算问答　<sub>部门决算报告问答：答案附出处和原文页面</sub>", elem_id="title")
        with gr.Row(elem_id="top-bar"):
            picker = gr.Dropdown(
                label="当前报告", choices=[], scale=4, min_width=240, elem_id="report-picker", interactive=True
            )
            upload = gr.UploadButton(
                "上传报告", file_count="single", type="filepath", scale=1, min_width=96, elem_id="upload", size="md"
            )
            export = gr.DownloadButton("导出对话", scale=1, min_width=96, elem_id="export", size="md")
            new_chat = gr.Button("新对话", scale=1, min_width=80, elem_id="new-chat", size="md")
        client_note = gr.Textbox(label="上传提示", elem_id="client-note", show_label=False, container=False)
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab("问答", id="chat-tab"):
                with gr.Row():
                    with gr.Column(scale=4, min_width=340):
                        chatbot = gr.Chatbot(
                            show_label=False,
                            elem_id="chat",
                            height=None,
                            latex_delimiters=[],
                            feedback_options=("Like", "Dislike"),
                            buttons=["copy"],
                            group_consecutive_messages=False,
                            placeholder="正在载入…",
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                placeholder="输入问题，例如：政企云执行率是多少",
                                show_label=False,
                                scale=6,
                                elem_id="question",
                                max_lines=3,
                                container=False,
                            )
                            send = gr.Button("发送", variant="primary", scale=1, min_width=72, elem_id="send")
                        with gr.Row(visible=False, elem_id="feedback-row", equal_height=True) as feedback_row:
                            correction = gr.Textbox(show_label=False, scale=6, container=False, elem_id="correction",
                                                    max_lines=2)
                            correction_send = gr.Button("提交更正", scale=1, min_width=96, size="sm", elem_id="correction-send")
                        with gr.Row(elem_id="example-row"):
                            example_buttons = [
                                (gr.Button(f"{kind}：{text}", size="sm", elem_classes=["example"]), text)
                                for kind, text in EXAMPLES
                            ]
                    with gr.Column(scale=6, min_width=340, elem_id="sources"):
                        with gr.Row(elem_id="answer-card-row", equal_height=True):
                            answer_card = gr.Markdown(elem_id="answer-card")
                            back = gr.Button("↑ 回到回答", size="sm", scale=0, min_width=96, elem_id="back-to-answer")
                        cell_x = gr.Textbox(elem_id="cell-x", show_label=False, container=False)
                        cite_pick = gr.Textbox(elem_id="cite-pick", show_label=False, container=False)
                        citations = gr.Radio(
                            label="出处（红框为引用的单元格；点击切换引用，或点回答里的 [1] [2]）", choices=[], elem_id="citations"
                        )
                        page_image = _page_image_component("page-image")
                        whole_page = gr.Button("查看整页", size="sm", visible=False, elem_id="whole-page")
                        quote = gr.Markdown(elem_id="quote")
            with gr.Tab("表格", id="table-tab") as table_tab:
                with gr.Row(elem_id="table-bar"):
                    table_picker = gr.Dropdown(label="选择表格", choices=[], scale=4, elem_id="table-picker")
                    table_csv_button = gr.DownloadButton(
                        "下载表格 CSV", scale=1, min_width=120, elem_id="table-csv", visible=False, size="md"
                    )
                    table_long_csv = gr.DownloadButton(
                        "下载长表 CSV（每格一行）", scale=1, min_width=120, elem_id="table-long-csv", visible=False,
                        size="md", variant="secondary",
                    )
                table_view = gr.HTML(elem_id="table-view")
            with gr.Tab("历史", id="past-tab"):
                past_pick = gr.Radio(label="以前的对话（保存在这个浏览器里，以第一个问题命名）", choices=[], elem_id="past-list")
                with gr.Row():
                    past_open = gr.Button("打开", size="sm", scale=0, min_width=96, elem_id="past-open", variant="primary")
                    past_delete = gr.Button("删除", size="sm", scale=0, min_width=96, elem_id="past-delete")
            with gr.Tab("核对", id="audit-tab") as audit_tab:
                with gr.Row(equal_height=True):
                    audit_title = gr.Markdown(elem_id="audit-title")
                    audit_run = gr.Button("重新核对", size="sm", scale=0, min_width=96, elem_id="audit-run")
                audit_out = gr.Markdown(elem_id="audit-result")
                audit_pick = gr.Radio(label="发现的问题", choices=[], visible=False, elem_id="audit-findings")
                audit_image = _page_image_component("audit-image")
                audit_detail = gr.Markdown(elem_id="audit-detail")

        # Programmatic access (gradio_client): /ask keeps a conversation per client session.
        api_question = gr.Textbox(visible=False)
        api_answer = gr.JSON(visible=False)
        gr.Button(visible=False).click(
            api_ask, inputs=[api_question, session], outputs=[api_answer, session], api_name="ask", concurrency_id="assistant"
        )

        sources = [citations, page_image, quote]
        shown = [page_image, whole_page, quote, answer_card, cell_x]
        audit_outputs_list = [session, audit_title, audit_out, audit_pick, audit_image, audit_detail]
        table_outputs_list = [table_picker, table_view, table_csv_button, table_long_csv]

        def refresh_report_views(event):
            """After anything that may change the report: the 表格 and 核对 tabs follow it."""
            event.then(
                lambda s, picked: table_outputs(picked or (s.report_id if s else None), None),
                inputs=[session, picker],
                outputs=table_outputs_list,
                show_progress="hidden",
            ).then(audit_if_changed, inputs=[session, picker], outputs=audit_outputs_list, show_progress="hidden")

        loaded = app.load(on_load, inputs=[saved], outputs=[session, picker, chatbot, *sources, export])
        refresh_report_views(loaded)
        loaded.then(on_show_top, inputs=[session], outputs=shown, concurrency_id="render", show_progress="hidden")

        def answered(event):
            # every step may run again while the last answer's steps are still going (trigger_mode="multiple"):
            # a question sent then must not wait on, or be dropped behind, the previous answer's page loading
            event.then(
                on_answer,
                inputs=[session],
                outputs=[session, chatbot, citations, page_image, quote],
                concurrency_id="assistant",
                show_progress="hidden",
                trigger_mode="multiple",
            ).then(None, js=SHOW_ANSWER_JS, trigger_mode="multiple").then(
                on_show_top, inputs=[session], outputs=shown, concurrency_id="render", show_progress="hidden",
                trigger_mode="multiple",
            ).then(None, js=SHOW_SOURCES_JS, trigger_mode="multiple")

        for trigger in (question.submit, send.click):
            answered(trigger(on_submit, inputs=[question, session], outputs=[session, question, chatbot], queue=False,
                             show_progress="hidden", trigger_mode="multiple"))  # the chat shows its own "正在回答…"
        for button, text in example_buttons:
            answered(button.click(partial(on_example, text), inputs=[session], outputs=[session, chatbot], queue=False,
                                  show_progress="hidden", trigger_mode="multiple"))
        chatbot.select(
            on_message_select, inputs=[session], outputs=[session, citations, *shown], concurrency_id="render"
        ).then(None, js=SHOW_SOURCES_JS)
        citations.input(on_radio, inputs=[citations, session], outputs=[session, *shown], concurrency_id="render")
        cite_pick.change(
            on_cite, inputs=[cite_pick, session], outputs=[session, citations, *shown], concurrency_id="render"
        ).then(None, js=SHOW_SOURCES_JS)
        back.click(None, js=BACK_TO_ANSWER_JS)
        chatbot.like(on_like, inputs=[session], outputs=[session, feedback_row, correction])
        for trigger in (correction.submit, correction_send.click):
            trigger(on_correction, inputs=[correction, session], outputs=[session, feedback_row, correction, chatbot])
        whole_page.click(on_whole_page, inputs=[session], outputs=[session, *shown], concurrency_id="render")
        refresh_report_views(picker.input(on_pick, inputs=[picker, session], outputs=[session, chatbot]))
        for trigger in (new_chat.click, chatbot.clear):
            trigger(on_new_chat, inputs=[session, past], outputs=[session, chatbot, *sources, past, past_pick])
        app.load(_past_choices, inputs=[past], outputs=[past_pick])
        past_open.click(
            on_open_past, inputs=[past_pick, session, past],
            outputs=[session, picker, chatbot, *sources, past, past_pick, tabs],
        )
        past_delete.click(on_delete_past, inputs=[past_pick, past], outputs=[past, past_pick])
        client_note.change(on_client_note, inputs=[client_note, session], outputs=[session, chatbot], queue=False)
        refresh_report_views(
            upload.upload(
                on_upload,
                inputs=[upload, session],
                outputs=[session, picker, chatbot],
                concurrency_id="ingest",
                show_progress="hidden",
            )
        )
        chatbot.change(on_chat_change, inputs=[session], outputs=[saved, export], show_progress="hidden")
        table_picker.input(on_table, inputs=[table_picker, session], outputs=table_outputs_list)
        audit_run.click(audit_outputs, inputs=[session, picker], outputs=audit_outputs_list)
        # Opening a tab shows the report the picker is on, whatever event raced with the last switch.
        audit_tab.select(audit_if_changed, inputs=[session, picker], outputs=audit_outputs_list, show_progress="hidden")
        table_tab.select(
            lambda s, picked: table_outputs(picked or (s.report_id if s else None), None),
            inputs=[session, picker],
            outputs=table_outputs_list,
            show_progress="hidden",
        )
        audit_pick.input(on_finding, inputs=[audit_pick, session], outputs=[audit_image, audit_detail]).then(
            None, js=SHOW_AUDIT_JS
        )
    return app


# --- what the page shows, as plain functions (unit-tested without a browser) ---


def reply(assistant, question: str, session: Session, *, name_of, readable) -> tuple[str, AnswerRecord | None]:
    """The chat message for one question and what the chat keeps of the answer. Never raises: a failure
    becomes a reply saying so (logged with the question), and the conversation goes on."""
    try:
        answer = assistant.ask(question, report=session.report_id, conversation=session.conversation)
        name = name_of(answer.report_id or session.report_id)
        sources = render.answer_sources(answer)
        record = AnswerRecord(
            answer.report_id or session.report_id or "",
            question,
            readable(render.answer_body(answer, report=name)),
            tuple(s.citation for s in sources),
            tuple((s.value, s.column) for s in sources),
            render.format_value(answer.value, answer.unit) if answer.value is not None else "",
        )
        return readable(render.answer_markdown(answer, report=name)), record
    except AssistantError as e:
        return readable(f"⚠ {render.escape_markdown(str(e))}"), None
    except Exception as e:  # noqa: BLE001 — a failure is a reply in the chat, never a blank conversation
        log.exception("answering failed: question=%r report=%s", question, session.report_id)
        reason = render.escape_markdown(readable(str(e) or type(e).__name__))
        return f"{FAILED}{reason}。请换个问法再试，其他问题不受影响。", None


def marked_answer(content: str) -> str:
    """An answer's chat message with the mark that gives it 👍/👎 (at its end: the message reads as before)."""
    return content if ANSWER_MARK in content else content + ANSWER_MARK


def show_reply(session: Session, index: int, record: AnswerRecord | None) -> str:
    """Point the sources panel at the reply just given at `index`; return the panel's note when it has no page.
    A failed answer (no record) shows no source at all: the previous answer's page must not stay up as if
    it were this reply's."""
    session.position, session.whole_page = 0, False
    if record is None:
        session.shown = None
        return NO_ANSWER
    session.answers[index] = record
    session.shown = index
    return "" if record.citations else NO_SOURCE


def restored_source(session: Session) -> int | None:
    """The answer whose source a reopened chat shows: the reply to its last question, when that reply has
    sources — never an older answer's page after a last question that failed or cited nothing."""
    asked = [i for i, m in enumerate(session.history) if m.get("role") == "user"]
    record = session.answers.get(asked[-1] + 1) if asked else None  # the reply stands right after its question
    return asked[-1] + 1 if record is not None and record.citations else None


def report_name(record) -> str:
    """How a reader knows a report: department and year, never its internal id."""
    year = f"{record.year}年" if record.year else ""
    return f"{record.department}{year}" or Path(record.path).stem


def conversation_markdown(session: Session, name_of) -> str:
    """The conversation as a Markdown document: each question, its answer and the answer's citations."""
    lines = ["# 决算问答对话记录", "", f"导出时间：{datetime.now():%Y-%m-%d %H:%M}", ""]
    for index, message in enumerate(session.history):
        record = session.answers.get(index)
        if message["role"] == "user":
            question = " ".join(message["content"].split())
            if len(question) > HEADING_CHARS:
                lines += [f"## 问：{question[:HEADING_CHARS]}…", "", *(f"> {line}" for line in message["content"].splitlines()), ""]
            else:
                lines += [f"## 问：{question}", ""]
        elif record is not None:
            lines += ["**答**：", "", _export_body(record.body), ""]
        else:
            lines += [f"> {_strip_html(message['content'])}", ""]
    return "\n".join(lines).rstrip() + "\n"


PAST_LIMIT = 20  # conversations kept in the 历史 tab


def conversation_title(saved: dict) -> str:
    """A past conversation is named by its first question (and its date when it has one)."""
    first = next((m["content"] for m in saved.get("history", []) if m.get("role") == "user"), "（没有提问）")
    first = " ".join(str(first).split())
    return first if len(first) <= 30 else first[:30] + "…"


def archive(past, saved: dict | None) -> list:
    """The list of past conversations with `saved` put first (if it asked anything), at most PAST_LIMIT."""
    past = [p for p in (past or []) if isinstance(p, dict)]
    if saved and any(m.get("role") == "user" for m in saved.get("history", [])):
        past = [saved] + [p for p in past if p.get("key") != saved.get("key")]
    return past[:PAST_LIMIT]


def _past_choices(past) -> dict:
    items = [p for p in (past or []) if isinstance(p, dict)]
    return gr.update(choices=[(conversation_title(p), str(i)) for i, p in enumerate(items)], value=None)


def answer_summary(record: AnswerRecord) -> str:
    """The answer a source backs, in one or two lines: its sentence and figure (markers and sources dropped)."""
    kept = [p for p in record.body.split("\n\n") if not p.startswith((render.SOURCES_HEADING, "_报告："))]
    text = " ".join(kept[:2])
    return re.sub(r"\[\\\[\d+\\\]\]\(#cite-\d+\)", "", text)


def _export_body(body: str) -> str:
    """An answer for the Markdown file: citation markers as plain [n] (there is no page to open)."""
    return re.sub(r"\[(\\\[\d+\\\])\]\(#cite-\d+\)", r"\1", body)


_CODED = re.compile(r"^(\d{3,7})\s+(\S.*)$")


def table_csv(table) -> str:
    """A table as the report prints it (its header rows, then rows × printed columns), with a subject code
    printed inside its name cell ("2080501 行政单位离退休") moved to a 科目编码 column of its own."""
    rows = [list(r.cells) for r in table.rows]
    head, body = rows[: table.header_rows], rows[table.header_rows :]
    coded = any(row and _CODED.match(row[0].strip()) for row in body)
    out = io.StringIO()
    writer = csv.writer(out)
    for n, row in enumerate(head):
        writer.writerow(([("科目编码" if n == 0 else "")] if coded else []) + row)
    for row in body:
        if coded:
            match = _CODED.match(row[0].strip()) if row else None
            row = [match.group(1), match.group(2), *row[1:]] if match else ["", *row]
        writer.writerow(row)
    return out.getvalue()



def facts_csv(facts) -> str:
    """The CSV that `python -m assistant facts REPORT --table KEY --format csv` prints for these facts."""
    from assistant.cli import write_facts

    out = io.StringIO()
    write_facts(facts, out, fmt="csv")
    return out.getvalue()


def table_html(table) -> str:
    """A stored table as the report prints it: header rows, then body rows, numbers right-aligned."""
    rows = [r.cells for r in table.rows]
    head, body = rows[: table.header_rows], rows[table.header_rows :]
    unit = f"　单位：{html.escape(table.unit)}" if table.unit else ""
    # the table scrolls inside its own box (Gradio sets the block's overflow inline: it cannot scroll itself)
    out = [f"<p><b>{html.escape(render.display_label(table.label))}</b>{unit}　{_pages_text(table.pages)}</p>",
           '<div class="table-scroll"><table>']
    for cells in head:
        out.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cells) + "</tr>")
    for cells in body:
        out.append(
            "<tr>"
            + "".join(
                f'<td class="num">{html.escape(c)}</td>' if _NUMBER.fullmatch(c.strip()) else f"<td>{html.escape(c)}</td>"
                for c in cells
            )
            + "</tr>"
        )
    out.append("</table></div>")
    return "\n".join(out)


def finding_markdown(finding) -> str:
    """A finding with its formula and every cell or sentence it compares, each with its page."""
    lines = [f"**{render.escape_markdown(finding.message)}**"]
    if finding.formula:
        lines.append(f"算式：`{finding.formula.replace('`', '')}`")
    for word, sources in (("所述", finding.stated_at), ("依据", finding.computed_from)):
        for s in sources:
            lines.append(f"- {word}：{render.escape_markdown(render.display_label(s.label))}")
    return "\n\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])


_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")


def _finding_title(finding) -> str:
    pages = sorted({s.page for s in (*finding.stated_at, *finding.computed_from) if s.page})
    where = f"（{'、'.join(f'第{p}页' for p in pages)}）" if pages else ""
    return f"{finding.message}{where}"


def _source_mark(source) -> render.Mark | None:
    """A table cell is boxed by its row with its figure framed (a cell's source may carry its printed line as a
    quote too); a sentence by the words that state the figure; a formula the audit computed ("205 = Σ205xx")
    is printed nowhere and gets no box."""
    row = source.row or ""
    if "=" in row or "Σ" in row:
        return None
    if source.value is not None and source.column:
        figure = render.format_value(source.value).replace(",", "")
        return render.Mark(row=row, quote=figure, value=source.value, column=source.column)
    if source.quote:
        return render.Mark(quote=row or source.quote)
    figure = render.format_value(source.value).replace(",", "") if source.value is not None else ""
    return render.Mark(row=row, quote=figure, value=source.value, column=source.column or "")


def _pages_text(pages) -> str:
    pages = list(pages)
    if not pages:
        return "页码未知"
    return f"第{pages[0]}页" if len(pages) == 1 else f"第{pages[0]}–{pages[-1]}页"


def _file_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)


def _strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


# After an answer: its first line at the top of the chat box, whatever the reader opened before (an opened
# 如何得出 stops Gradio's own scrolling), so the answer is read from its start.
SHOW_ANSWER_JS = """
async () => {
  await new Promise((done) => setTimeout(done, 50));
  const bots = document.querySelectorAll('#chat .message.bot');
  const last = bots[bots.length - 1];
  if (!last) return;
  let box = last.parentElement;
  while (box && box !== document.body && !(box.scrollHeight > box.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (!box || box === document.body) return;
  box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
}
"""

# The cited page once its image has loaded: on a phone (sources under the chat) the panel comes into view with
# the answer it backs at its top, and the image is panned so the framed cell is on screen.
_SCROLL_TO = """
async () => {
  for (let i = 0; i < 50; i++) {
    if (!document.querySelector('%(image)s img') && !document.querySelector('#citations label, #audit-findings label')) return;
    const img = document.querySelector('%(image)s img');
    if (img && img.complete && img.naturalWidth > 0) {
      const r = img.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight * 0.6) {
        document.querySelector('%(anchor)s').scrollIntoView({block: 'start', behavior: 'instant'});
        const after = img.getBoundingClientRect();
        if (after.top > window.innerHeight * 0.6) {  // a long list above it: the page itself comes into view
          img.scrollIntoView({block: 'start', behavior: 'instant'});
        }
      }
      const x = parseFloat((document.querySelector('#cell-x textarea, #cell-x input') || {}).value || '');
      const frame = img.closest('.image-frame');
      if (frame && !isNaN(x) && frame.scrollWidth > frame.clientWidth) {
        frame.scrollLeft = Math.max(0, x * img.getBoundingClientRect().width - frame.clientWidth * 0.6);
      }
      return;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
"""
SHOW_SOURCES_JS = _SCROLL_TO % {"image": "#page-image", "anchor": "#sources"}
SHOW_AUDIT_JS = _SCROLL_TO % {"image": "#audit-image", "anchor": "#audit-findings"}
BACK_TO_ANSWER_JS = "() => { document.querySelector('#chat').scrollIntoView({block: 'start', behavior: 'instant'}); }"

# Gradio's built-in buttons and notices that stay English whatever the browser's language.
UI_WORDS = {
    "Copy message": "复制这条消息",
    "Copied message": "已复制",
    "Copy": "复制",
    "Copied": "已复制",
    "Clear": "清空对话",
    "Fullscreen": "全屏查看",
    "Exit fullscreen mode": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "More tabs": "更多标签页",
    "chatbot conversation": "对话记录",
    "Error": "出错了",
    "Warning": "注意",
    "Info": "提示",
    "Close": "关闭",
    "Download": "下载",
    "Loading...": "正在载入…",
    "Loading": "正在载入",  # the same notice when its dots are a node of their own (seen on a busy machine)
    "Loading content": "正在回答…",
    "Loading response": "正在回答",
    "Dropdown": "下拉选择",
    "Textbox": "文本框",
    "Image": "图片",
    "Remove": "移除",
    "Retry": "重试",
    "Undo": "撤销",
    "Submit": "提交",
    "Stop": "停止",
    "Share": "分享",
    "Edit": "编辑",
    "common.complete": "完成",  # a status Gradio shows without its translation (after a handler with hidden progress)
    "Like": "赞",
    "Dislike": "踩",
}
UI_PREFIXES = [["bot's message: ", "回答："], ["user's message: ", "提问："]]

# Gradio's own size check answers in English; this one runs first, in the capture phase, and hands the
# refusal to the chat through a hidden text box. The page's built-in strings follow the browser's language:
# this page is Chinese for every reader.
HEAD = """
<script>
for (const [key, value] of [["language", "zh-CN"], ["languages", ["zh-CN", "zh"]]]) {
  try { Object.defineProperty(Navigator.prototype, key, {get: () => value, configurable: true}); } catch (e) {}
}
const UI_WORDS = %(words)s;
const UI_PREFIXES = %(prefixes)s;
const UI_PATTERNS = [
  [/^In queue: (\d+) of (\d+)/, "排队中：第 $1 位，共 $2 位"],
  [/^queue: (\d+)\/(\d*) \|/, "排队 $1/$2 |"],
  [/^processing \|/, "处理中 |"],
];
function chinese(text) {
  if (!text || !/[A-Za-z]/.test(text)) return text;
  const trimmed = text.trim();
  if (UI_WORDS[trimmed]) return text.replace(trimmed, UI_WORDS[trimmed]);
  for (const [english, zh] of UI_PREFIXES) if (text.startsWith(english)) return zh + text.slice(english.length);
  for (const [pattern, zh] of UI_PATTERNS) if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, zh));
  return text;
}
// Text nodes are changed in place (node.data), so the page's own later updates still reach them.
function translateText(node) {
  if (node.parentElement && node.parentElement.closest(".message, .prose, script, style")) return;
  const zh = chinese(node.data);
  if (zh !== node.data) node.data = zh;
}
function translate(root) {
  if (root.nodeType === Node.TEXT_NODE) return translateText(root);
  if (!root.querySelectorAll) return;
  for (const el of [root, ...root.querySelectorAll("[title], [aria-label]")]) {
    for (const name of ["title", "aria-label"]) {
      const value = el.getAttribute(name);
      const zh = chinese(value);
      if (value && zh !== value) el.setAttribute(name, zh);
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) translateText(walker.currentNode);
}
new MutationObserver((mutations) => {
  for (const m of mutations) {
    if (m.type === "childList") m.addedNodes.forEach(translate);
    else translate(m.target);
  }
}).observe(document.documentElement, {
  subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["title", "aria-label"],
});
// A [n] marker in an answer opens that answer's n-th source (the server is told "message index|n|time").
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('#chat a[href^="#cite-"]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const message = link.closest(".message");
  const index = [...document.querySelectorAll("#chat .message")].indexOf(message);
  const box = document.querySelector("#cite-pick textarea, #cite-pick input");
  if (index < 0 || !box) return;
  box.value = `${index}|${link.getAttribute("href").slice(6)}|${Date.now()}`;
  box.dispatchEvent(new Event("input", {bubbles: true}));
}, true);
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  const tooBig = [...(input.files || [])].find((f) => f.size > %(limit)d);
  if (!tooBig) return;
  event.stopImmediatePropagation();
  input.value = "";
  const mb = (tooBig.size / 1048576).toFixed(1);
  const note = document.querySelector("#client-note textarea");
  if (note) {
    note.value = `${Date.now()}|“${tooBig.name}”有 ${mb} MB，超过 %(mb)d MB 上限，没有上传。`;
    note.dispatchEvent(new Event("input", {bubbles: true}));
  }
}, true);
</script>
""" % {
    "limit": MAX_UPLOAD_BYTES,
    "mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    "words": json.dumps(UI_WORDS, ensure_ascii=False),
    "prefixes": json.dumps(UI_PREFIXES, ensure_ascii=False),
}


def _sources_cleared() -> tuple:
    return gr.update(choices=[], value=None), _page_image(None), ""


def _page_image(image) -> dict:
    """Show a page image only when there is one (text reports have none)."""
    return gr.update(value=image, visible=image is not None)


def _sources_unchanged() -> tuple:
    return gr.update(), gr.update(), gr.update()


def _radio_choices(record: AnswerRecord) -> list[tuple[str, str]]:
    return [(f"[{i}] {render.citation_title(c)}", str(i - 1)) for i, c in enumerate(record.citations, 1)]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _page_image_component(elem_id: str):
    """A cited page as an image: hidden until there is one, with a full-screen button."""
    return gr.Image(
        show_label=False, type="pil", format="png", interactive=False, elem_id=elem_id, visible=False,
        buttons=["fullscreen"],
    )


def _audit_module():
    """assistant.audit when it exists; the 核对 tab says so otherwise."""
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
        head=HEAD,
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
