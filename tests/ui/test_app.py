"""ui/app.py without a browser: what the chat keeps in the browser, the export, the table view and its CSV."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest
from PIL import Image

from assistant.cli import write_facts
from assistant.model import Citation
from index.model import Fact, Row, Table
from tests.conftest import QIFU_PDF
from ui import render
from assistant.errors import AssistantError
from assistant.model import Answer, Plan, PlanCell, Route
from ui.app import (
    ANSWER_MARK, FAILED, AnswerRecord, Session, answer_summary, conversation_markdown, facts_csv, marked_answer, reply,
    report_name, table_csv, table_html, _source_mark,
)

ZHENGQIYUN = Citation(
    label="2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表", page=41, quote="年度财政资金总额 92 79.4 86.3%", row="年度财政资金总额"
)


def _session() -> Session:
    session = Session(report_id="r2023-aaaaaaaaaa", conversation=object(), key="k1")
    session.history = [
        {"role": "assistant", "content": "当前报告：**某中心2023年**。"},
        {"role": "user", "content": "政企云执行率是多少"},
        {"role": "assistant", "content": marked_answer("执行率为86.3%。\n\n<details class=\"how\"><summary>如何得出</summary>…</details>")},
        {"role": "assistant", "content": "已切换到：**另一局2023年**。"},
    ]
    session.answers = {2: AnswerRecord("r2023-aaaaaaaaaa", "政企云执行率是多少", "执行率为86.3%。", (ZHENGQIYUN,))}
    return session


def test_a_session_survives_the_round_trip_through_the_browsers_storage():
    saved = json.loads(json.dumps(_session().to_saved()))  # what BrowserState stores is plain JSON
    restored = Session.from_saved(saved, conversation="fresh")
    assert restored.history == _session().history
    assert restored.answers == _session().answers
    assert (restored.report_id, restored.key, restored.conversation) == ("r2023-aaaaaaaaaa", "k1", "fresh")


@pytest.mark.parametrize("saved", [None, {}, {"version": 0}, {"version": 1, "history": [{"role": "user"}]}, "text"])
def test_unreadable_saved_state_starts_a_new_chat(saved):
    assert Session.from_saved(saved, conversation=None) is None


def test_the_export_has_each_question_its_answer_report_and_citation_but_no_markup():
    names = {"r2023-aaaaaaaaaa": "某中心2023年"}
    text = conversation_markdown(_session(), lambda report_id: names[report_id])
    assert text.startswith("# 决算问答对话记录\n")
    assert "## 问：政企云执行率是多少\n\n**答**：\n\n执行率为86.3%。\n" in text
    assert "> 已切换到：**另一局2023年**。" in text
    assert "<details" not in text and "如何得出" not in text and "r2023-" not in text


def test_report_name_is_department_and_year():
    @dataclass
    class Record:
        department: str
        year: int | None
        path: str = "/x/report.pdf"

    assert report_name(Record("武汉市汉阳区企业服务中心", 2023)) == "武汉市汉阳区企业服务中心2023年"
    assert report_name(Record("", None)) == "report"


def _fact(row: str, value: float, table: str = "公开03表") -> Fact:
    return Fact(
        report_id="r2023-aaaaaaaaaa", table=table, table_title="2023 年度支出决算表", row=row, code="", classification="",
        column="本年支出合计", value=value, unit="万元", page=13, table_kind="expenditure",
    )


def test_the_csv_download_is_what_the_facts_command_prints():
    facts = [_fact("合计", 809.69), _fact("基本支出", 531.51)]
    printed = io.StringIO()
    write_facts(facts, printed, fmt="csv")
    assert facts_csv(facts) == printed.getvalue()
    header, first = facts_csv(facts).splitlines()[:2]
    assert header.split(",")[-1] == "table_kind" and first.startswith("r2023-aaaaaaaaaa,公开03表,2023 年度支出决算表,合计")


def test_table_html_keeps_header_rows_and_right_aligns_numbers_and_escapes_text():
    table = Table(
        report_id="r", key="公开03表", number=3, title="2023 年度支出决算表", kind="expenditure", unit="万元",
        pages=(13,), notes=(), header_rows=1,
        rows=(Row(13, ("项目", "本年支出合计")), Row(13, ("合计", "809.69")), Row(13, ("<b>", "1,234.5"))),
    )
    text = table_html(table)
    assert "<th>项目</th><th>本年支出合计</th>" in text
    assert '<td>合计</td><td class="num">809.69</td>' in text
    assert '<td>&lt;b&gt;</td><td class="num">1,234.5</td>' in text
    assert "公开03表 2023 年度支出决算表" in text and "单位：万元" in text and "第13页" in text


@dataclass(frozen=True)
class _Source:
    table: str
    row: str
    column: str = ""
    page: int | None = None
    value: float | None = None
    quote: str = ""


def test_an_audit_source_is_boxed_by_its_row_and_figure_or_by_its_sentence():
    cell = _Source("公开03表 2023 年度支出决算表", "合计", "基本支出", 13, 531.51)
    sentence = _Source("三、支出决算情况说明", "基本支出531.51万元,占本年支出65.7%", page=23, value=65.7, quote="其中: 基本支出…")
    assert _source_mark(cell) == render.Mark(row="合计", quote="531.51", value=531.51, column="基本支出")
    assert _source_mark(sentence) == render.Mark(quote="基本支出531.51万元,占本年支出65.7%")
    view = render.page_view(QIFU_PDF, 23, [_source_mark(sentence)], "说明")
    assert view.highlighted and view.image is not None and view.page is not None


def test_an_audit_cell_that_carries_its_printed_line_is_framed_and_a_formula_is_not_boxed():
    """The university's findings: a cell source carries its printed line as a quote; the figure is framed, not the
    row's label alone; the formula the audit computed is printed nowhere."""
    from tests.conftest import UNIVERSITY_PDF

    cell = _Source("表3 高等学校支出决算表", "合计", "项目支出", 13, 97895.15, quote="合计 457,676.75 359,781.59 97,89")
    formula = _Source("表3 高等学校支出决算表", "合计 = 205 + 206 + 229", "项目支出", 13, 97895.16, quote="合计 = 205 + 206 + 229")
    assert _source_mark(formula) is None
    mark = _source_mark(cell)
    assert mark == render.Mark(row="合计", quote="97895.15", value=97895.15, column="项目支出")
    view = render.page_view(UNIVERSITY_PDF, 13, [mark], "核对")
    assert view.highlighted and view.cell_x is not None


def test_focus_keeps_the_printed_width_and_a_band_around_the_boxes():
    page = Image.new("RGB", (1000, 1400), (255, 255, 255))
    page.paste((0, 0, 0), (100, 100, 900, 1300))  # the printed area
    box = render.Box(200, 600, 400, 610)  # in points: a 1200–1220 px band at RENDER_SCALE 2, near the foot
    crop = render.focus(page, [box], aspect=0.45, pad=40)
    assert crop.width == 880  # printed width plus padding
    assert crop.height == round(880 * 0.45)


def test_the_export_cuts_a_long_pasted_question_to_a_short_heading_and_quotes_it_whole():
    session = _session()
    long_question = "请问" + "这一段是粘贴进来的很长的说明文字，" * 12 + "基本支出是多少"
    session.history[1] = {"role": "user", "content": long_question}
    text = conversation_markdown(session, lambda report_id: "某中心2023年")
    heading = next(line for line in text.splitlines() if line.startswith("## 问："))
    assert len(heading) <= len("## 问：") + 41 and heading.endswith("…")
    assert f"> {long_question}" in text


def test_the_export_says_sources_once_per_answer_with_plain_markers():
    body = "执行率为86.3%。\n\n出处（某中心2023年）：\n[\\[1\\]](#cite-1) 某表（第41页）"
    session = _session()
    session.answers[2] = AnswerRecord("r2023-aaaaaaaaaa", "政企云执行率是多少", body, (ZHENGQIYUN,))
    text = conversation_markdown(session, lambda report_id: "某中心2023年")
    assert "出处（某中心2023年）：\n\\[1\\] 某表（第41页）" in text
    assert "原文页面见" not in text and "#cite-" not in text
    assert answer_summary(session.answers[2]) == "执行率为86.3%。"


class _Assistant:
    """Answers from a script; a question in `fail` raises as a bug deep in the answerer would."""

    def __init__(self, fail: dict[str, Exception]):
        self.fail = fail

    def ask(self, question, *, report=None, conversation=None):
        if question in self.fail:
            raise self.fail[question]
        plan = Plan("value", ("本年支出合计",), ("决算数",), cells=(PlanCell("本年支出合计", "决算数", 809.69, "万元", "公开01表", 11),))
        citation = Citation(label="公开01表 收入支出决算总表", page=11, quote="本年收入合计 27 809.69 本年支出合计 58 809.69", row="本年支出合计")
        return Answer(kind="number", text="本年支出合计为809.69万元。", route=Route("lookup", "查表"), value=809.69,
                      unit="万元", citations=(citation,), report_id=report, plan=plan)


def test_a_failure_while_answering_is_a_reply_logged_with_the_question_and_the_next_question_is_answered(caplog):
    assistant = _Assistant({"那项目支出呢": KeyError("项目支出"), "坏问题": AssistantError("请写明是哪份报告")})
    session = Session(report_id="r2023-aaaaaaaaaa", conversation=object())
    names = dict(name_of=lambda report_id: "某中心2023年", readable=lambda text: text)
    with caplog.at_level("ERROR", logger="juesuan.ui"):
        content, record = reply(assistant, "那项目支出呢", session, **names)
    assert content.startswith(FAILED) and "项目支出" in content and record is None
    assert "那项目支出呢" in caplog.text  # logged with the question
    content, record = reply(assistant, "坏问题", session, **names)
    assert content == "⚠ 请写明是哪份报告" and record is None
    content, record = reply(assistant, "本年支出合计是多少", session, **names)
    assert "809.69万元" in content and "出处（某中心2023年）" in content
    assert record.figures == ((809.69, "决算数"),) and record.value == "809.69万元"


def test_the_table_csv_is_the_table_as_printed_with_codes_in_their_own_column():
    table = Table(
        report_id="r", key="公开03表", number=3, title="支出决算表", kind="expenditure", unit="万元",
        pages=(13,), notes=(), header_rows=2,
        rows=(Row(13, ("项目", "本年支出合计", "基本支出")), Row(13, ("科目名称", "", "")),
              Row(13, ("合计", "809.69", "531.51")), Row(13, ("2010301 行政运行", "300.5", "300.5"))),
    )
    lines = table_csv(table).splitlines()
    assert lines == ["科目编码,项目,本年支出合计,基本支出", ",科目名称,,", ",合计,809.69,531.51", "2010301,行政运行,300.5,300.5"]


def test_past_conversations_are_named_by_their_first_question_newest_first_and_empty_ones_are_not_kept():
    from ui.app import PAST_LIMIT, archive, conversation_title

    first = _session().to_saved()
    assert conversation_title(first) == "政企云执行率是多少"
    empty = Session(report_id="r", conversation=None, key="k0", history=[{"role": "assistant", "content": "你好"}]).to_saved()
    assert archive([], empty) == []
    second = {**first, "key": "k2", "history": [{"role": "user", "content": "很长的问题" * 10}]}
    past = archive(archive([], first), second)
    assert [p["key"] for p in past] == ["k2", "k1"]
    assert conversation_title(past[0]).endswith("…") and len(conversation_title(past[0])) == 31
    assert [p["key"] for p in archive(past, first)] == ["k1", "k2"]  # the same conversation again moves up
    many = [{**first, "key": f"k{i}"} for i in range(PAST_LIMIT + 5)]
    assert len(archive(many, second)) == PAST_LIMIT


def test_only_the_recheck_button_closes_an_opened_finding(tmp_path):
    """Events race on the 核对 tab (a report switch refreshes it, opening the tab refreshes it): a refresh that
    arrives after the reader opened a finding must leave its page up. Only 重新核对 recomputes over it."""
    from dataclasses import replace

    from assistant.service import Assistant
    from assistant.settings import load_settings
    from ui.app import build_app

    assistant = Assistant(settings=replace(load_settings(), data_dir=tmp_path), index_passages=False)
    app = build_app(assistant)
    writers = {}
    for fn in app.fns.values():
        if any(getattr(o, "elem_id", None) == "audit-image" for o in fn.outputs):
            triggers = {app.blocks[block].elem_id if block in app.blocks else block for block, _ in fn.targets}
            writers.setdefault(fn.fn.__name__, set()).update(triggers)
    assert set(writers) == {"audit_if_changed", "audit_outputs", "on_finding"}, writers
    assert writers["audit_outputs"] == {"audit-run"}, writers


def test_a_failed_reply_points_the_sources_panel_at_nothing_and_an_uncited_one_says_so():
    from ui.app import NO_ANSWER, NO_SOURCE, show_reply

    session = _session()
    session.shown, session.position = 2, 1  # the panel shows the 政企云 answer's source
    assert show_reply(session, 5, None) == NO_ANSWER
    assert session.shown is None and 5 not in session.answers
    uncited = AnswerRecord("r2023-aaaaaaaaaa", "asdf", "没有理解这个问题。", ())
    assert show_reply(session, 7, uncited) == NO_SOURCE and session.shown == 7
    assert show_reply(session, 9, session.answers[2]) == "" and (session.shown, session.position) == (9, 0)


class _ChatAssistant:
    """Just what build_app's chat handlers use: no stored report, answers from _Assistant's script."""

    def __init__(self, data_dir, fail):
        from types import SimpleNamespace

        self.settings = SimpleNamespace(data_dir=data_dir, uploads_dir=data_dir / "uploads")
        self.store = SimpleNamespace(report=lambda report_id: None, tables=lambda report_id: [], facts=lambda *a, **k: [])
        self.ask = _Assistant(fail).ask

    def reports(self):
        return []

    def new_conversation(self):
        return object()


def _handlers(assistant) -> dict:
    from ui.app import build_app

    app = build_app(assistant)
    return {fn.fn.__name__: fn.fn for fn in app.fns.values() if hasattr(fn.fn, "__name__")}


def test_after_a_failed_answer_the_panel_no_longer_shows_the_previous_answer(tmp_path):
    """The sources panel (and, on a phone, the answer card above it) is emptied by a failure: the previous
    answer's page and card must not stay up as if they were this reply's source."""
    from ui.app import NO_ANSWER

    handlers = _handlers(_ChatAssistant(tmp_path, {"坏问题": KeyError("项目支出")}))
    session, _, _ = handlers["on_submit"]("本年支出合计是多少", None)
    session, _, radio, _, _ = handlers["on_answer"](session)
    assert radio["choices"]  # the answer's citation is listed
    card = handlers["on_show_top"](session)[3]
    assert "809.69" in card  # the answer card names the answer its source backs
    session, _, _ = handlers["on_submit"]("坏问题", session)
    session, history, radio, image, quote = handlers["on_answer"](session)
    assert history[-1]["content"].startswith(FAILED)
    assert radio["choices"] == [] and image["visible"] is False and quote == NO_ANSWER
    image, toggle, quote, card, cell_x = handlers["on_show_top"](session)  # the step that follows every answer
    assert image["visible"] is False and toggle["visible"] is False and card == "" and cell_x == ""
    assert not isinstance(quote, str)  # the note put there by the failure stays


def test_only_answers_carry_the_mark_that_shows_feedback_and_likes_on_other_messages_are_ignored(tmp_path):
    import gradio as gr

    from ui.app import CSS

    handlers = _handlers(_ChatAssistant(tmp_path, {"坏问题": KeyError("项目支出")}))
    session, _, _ = handlers["on_submit"]("本年支出合计是多少", None)
    session, history, *_ = handlers["on_answer"](session)
    session, _, _ = handlers["on_submit"]("坏问题", session)
    session, history, *_ = handlers["on_answer"](session)
    marked = [i for i, m in enumerate(history) if ANSWER_MARK in m["content"]]
    assert marked == [2] == sorted(session.answers)  # not the greeting (0), the question (1) or the failure (4)
    assert ".answer-mark" in CSS and 'aria-label="踩"' in CSS
    for index, expected in ((0, 0), (4, 0), (2, 1)):  # 👍 on the greeting or the failure stores nothing
        handlers["on_like"](session, gr.LikeData(None, {"index": index, "value": "", "liked": True}))
        lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines() if (tmp_path / "feedback.jsonl").exists() else []
        assert len(lines) == expected, index
    # a chat kept in the browser before answers were marked gets the mark back on its answers only
    saved = _session().to_saved()
    saved["history"][2]["content"] = saved["history"][2]["content"].replace(ANSWER_MARK, "")
    restored = Session.from_saved(json.loads(json.dumps(saved)), conversation=None)
    assert [ANSWER_MARK in m["content"] for m in restored.history] == [False, False, True, False]


def test_a_reopened_chat_shows_the_source_of_its_last_reply_only_when_that_reply_has_one():
    from ui.app import restored_source

    session = _session()
    assert restored_source(session) == 2  # the 政企云 answer, though a switch note came after it
    session.history += [{"role": "user", "content": "那项目支出呢"}, {"role": "assistant", "content": FAILED + "出错"}]
    assert restored_source(session) is None  # not the 政企云 page, as if it backed the failed reply
    session.history += [{"role": "user", "content": "asdf"}, {"role": "assistant", "content": "没有理解。"}]
    session.answers[7] = AnswerRecord("r2023-aaaaaaaaaa", "asdf", "没有理解。", ())
    assert restored_source(session) is None
    assert restored_source(Session(report_id=None, conversation=None)) is None
