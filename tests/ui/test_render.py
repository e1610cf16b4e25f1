"""ui/render.py: Answer → chat markdown, and citations → page images with the cited text highlighted."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest
from PIL import Image

from assistant.model import Answer, Candidate, Citation, Plan, PlanCell, Route
from tests.conftest import PUTUO_CELLS, PUTUO_PDF, QIFU_PDF, QIFU_TXT, SCJGJ_PDF
from ui import render
from ui.render import Box

ZHENGQIYUN = Citation(
    label="2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表",
    page=41,
    quote="年度财政资金总额 92 79.4 86.3%",
    row="年度财政资金总额",
)
VEHICLES = Citation(
    label="第三部分武汉市汉阳区企业服务中心 2023 年度部门决算情况说明 › 十二、国有资产占用情况",
    page=25,
    quote="截至2023年12月31日,武汉市汉阳区企业服务中心共有车辆0辆",
)


def _number_answer(**changes) -> Answer:
    fields = dict(
        kind="number",
        text="“政企云沟通畅联平台建设经费”项目执行率为86.3%（执行数79.4万元 / 预算数92万元）。",
        route=Route("lookup", "问题对应“政企云沟通畅联平台建设经费”·执行率(B/A)"),
        value=86.3,
        unit="%",
        citations=(ZHENGQIYUN,),
    )
    return Answer(**{**fields, **changes})


PLAN = Plan(
    operation="rate",
    subjects=("“政企云沟通畅联平台建设经费”",),
    measures=("执行率",),
    cells=(PlanCell("年度财政资金总额", "预算数", 92.0, "万元", "项目绩效自评表", 41),
           PlanCell("年度财政资金总额", "执行数", 79.4, "万元", "项目绩效自评表", 41)),
)


def test_number_answer_names_its_report_once_and_numbers_its_citations_then_a_collapsed_plan():
    text = render.answer_markdown(_number_answer(plan=PLAN), report="某中心2023年")
    body, how = text.split("\n\n<details", 1)
    assert body == (
        "“政企云沟通畅联平台建设经费”项目执行率为86.3%（执行数79.4万元 / 预算数92万元）。\n\n"
        "**86.3%**　来自《2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表》“年度财政资金总额”行[\\[1\\]](#cite-1)\n\n"
        "出处（某中心2023年）：  \n"
        "[\\[1\\]](#cite-1) 2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表（第41页）"
    )
    assert body.count("某中心2023年") == 1
    assert how.startswith(' class="how"><summary>如何得出</summary>') and how.endswith("</details>")
    assert "- 问题类型：查表：问题对应“政企云沟通畅联平台建设经费”·执行率(B/A)" in how
    assert "- 运算：执行率" in how
    # each cell once, in the report's own numbers: 92, not 92.0
    assert "项目绩效自评表 第41页“年度财政资金总额”·预算数 = 92万元" in how
    assert "92.0" not in how and how.count("年度财政资金总额") == 2
    assert "路由" not in text and "右侧" not in text  # nothing internal, nothing that assumes a wide screen


@pytest.mark.parametrize("kind, route", [("not_found", "not_found"), ("not_found", "invalid"), ("text", "narrative")])
def test_an_answer_without_a_plan_has_no_how_block(kind, route):
    answer = Answer(kind=kind, text="报告中没有找到。", route=Route(route, "无效问题"))
    assert render.how_markdown(answer) == ""
    assert "如何得出" not in render.answer_markdown(answer, report="某中心2023年")
    assert render.answer_markdown(answer, report="某中心2023年").endswith("_报告：某中心2023年_")


def test_calculation_puts_the_arithmetic_in_the_plan_and_shows_the_reports_own_figure():
    answer = _number_answer(
        text="基本支出占本年支出合计的比例为65.64%。",
        route=Route("calculate", "问的是占比"),
        value=65.64,
        formula="531.51 ÷ 809.69 × 100% = 65.64%",
        stated_value=65.7,
    )
    body = render.answer_body(answer).split("\n\n")
    assert body[1].startswith("**65.64%**")
    assert body[2] == "报告原文数字：65.7%"
    how = render.how_markdown(answer).splitlines()
    assert how[0] == "- 问题类型：计算：问的是占比"
    assert how[-1] == "- 计算：`531.51 ÷ 809.69 × 100% = 65.64%`"


def test_sources_carry_the_figure_the_plan_read_in_each_cited_cell():
    [source] = render.answer_sources(_number_answer(plan=PLAN))
    assert (source.citation, source.value, source.column) == (ZHENGQIYUN, 92.0, "预算数")
    other = Citation(label="某表", page=3, quote="x", row="别的行")
    candidates = (Candidate("甲", 16.19, "万元", other),)
    sources = render.answer_sources(_number_answer(citations=(), candidates=candidates))
    assert [(s.citation, s.value) for s in sources] == [(other, 16.19)]


@dataclass(frozen=True)
class _Cell:
    table: str
    row: str
    column: str
    page: int


@dataclass(frozen=True)
class _Plan:
    operation: str
    cells: tuple
    extra_field: str = ""


def test_a_plan_attached_to_the_answer_is_listed_with_chinese_field_names():
    cells = (_Cell("公开03表 支出决算表", "合计", "基本支出", 13), _Cell("公开03表 支出决算表", "合计", "本年支出合计", 13))
    answer = _number_answer()
    object.__setattr__(answer, "plan", _Plan("share", cells, "kept as is"))
    how = render.how_markdown(answer)
    assert "- 运算：占比" in how  # operation ids are said in Chinese
    assert "- 用到的数字：" in how
    assert "表：公开03表 支出决算表，行：合计，列：基本支出，页：13" in how
    assert "表：公开03表 支出决算表，行：合计，列：本年支出合计，页：13" in how
    assert "- extra_field：kept as is" in how


@pytest.mark.parametrize(
    "label, shown",
    [("实际完成值()", "实际完成值"), ("年度指标值（）", "年度指标值"), ("执行率(B/A)", "执行率(B/A)")],
)
def test_display_label_drops_empty_brackets_only(label, shown):
    assert render.display_label(label) == shown


def test_text_answer_has_no_value_line_and_unknown_pages_say_so():
    answer = Answer(
        kind="text",
        text="主要职能是优化营商环境。",
        route=Route("narrative", ""),
        citations=(Citation(label="一、部门主要职能", page=None),),
    )
    assert render.answer_body(answer) == (
        "主要职能是优化营商环境。\n\n出处：  \n[\\[1\\]](#cite-1) 一、部门主要职能（页码未知）"
    )


def test_answer_citations_deduplicates_own_and_candidate_citations():
    answer = _number_answer(candidates=(Candidate("执行率", 86.3, "%", ZHENGQIYUN),))
    assert render.answer_citations(answer) == (ZHENGQIYUN,)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("执行率(B/A)", "执行率(B/A)"),
        ("3*4_5", r"3\*4\_5"),
        ("<script>", r"\<script\>"),
        ("# 标题 | 表", r"\# 标题 \| 表"),
        ("$100", r"\$100"),
    ],
)
def test_escape_markdown(text, expected):
    assert render.escape_markdown(text) == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (86.3, "%", "86.3%"),
        (92.0, "万元", "92万元"),
        (1234567.0, "元", "1,234,567元"),
        (0.12345, "", "0.1235"),
        (-0.0, "万元", "0万元"),
        (531.51, "", "531.51"),
    ],
)
def test_format_value(value, unit, expected):
    assert render.format_value(value, unit) == expected


def test_quote_markdown_names_label_page_row_and_quotes_the_passage():
    assert render.quote_markdown(ZHENGQIYUN) == (
        "**2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表**　第41页\n\n"
        "引用行：年度财政资金总额\n\n"
        "> 年度财政资金总额 92 79.4 86.3%"
    )


# --- highlighting on the sample PDF (pdfplumber gives the words' boxes) ---


def test_row_highlight_spans_the_whole_table_row():
    [band] = render.find_highlights(QIFU_PDF, 41, row=ZHENGQIYUN.row, quote=ZHENGQIYUN.quote)
    # the label cell starts at x≈181; the row runs to the 执行率 cell at x≈798, on the line at top≈242
    assert band.x0 == pytest.approx(181.3, abs=1)
    assert band.x1 == pytest.approx(798.0, abs=1)
    assert band.top == pytest.approx(242.0, abs=1)
    assert band.bottom - band.top < 15  # one printed line, not the table


def test_passage_highlight_covers_the_quoted_sentence():
    [line] = render.find_highlights(QIFU_PDF, 25, quote=VEHICLES.quote)
    assert line.top == pytest.approx(322.0, abs=1)
    assert line.x0 == pytest.approx(70.7, abs=1) and line.x1 == pytest.approx(376.8, abs=1)


def test_long_passage_is_highlighted_by_its_clauses():
    quote = "截至2023年12月31日,武汉市汉阳区企业服务中心共有车辆0辆……这一句不在页面上，但前半句在。"
    boxes = render.find_highlights(QIFU_PDF, 25, quote=quote)
    assert [round(b.top) for b in boxes] == [322]


def test_text_not_on_the_page_gives_no_highlight():
    assert render.find_highlights(QIFU_PDF, 41, row="根本不存在的行", quote="子虚乌有的一段文字内容") == []


def test_citation_view_renders_the_page_with_a_visible_highlight():
    view = render.citation_view(ZHENGQIYUN, QIFU_PDF)
    assert view.highlighted and view.image is not None
    plain = render.render_page(QIFU_PDF, 41)
    marked = render.render_page(QIFU_PDF, 41, [Box(181.3, 242.0, 798.0, 250.5)])
    assert plain.size == (round(841.92 * render.RENDER_SCALE), round(594.96 * render.RENDER_SCALE))
    inside = (int(500 * render.RENDER_SCALE), int(246 * render.RENDER_SCALE))  # a blank spot in the row
    assert plain.getpixel(inside) == (255, 255, 255)
    r, g, b = marked.getpixel(inside)
    assert r > 240 and b < 200  # tinted yellow
    assert view.text == render.quote_markdown(ZHENGQIYUN)


@pytest.mark.parametrize(
    "citation, path, note",
    [
        (ZHENGQIYUN, QIFU_TXT, "这份报告是从文本导入的，没有页面图像。"),
        (ZHENGQIYUN, None, "找不到报告的 PDF 文件，只能显示引文。"),
        (Citation(label="某表", page=None, quote="原文"), QIFU_PDF, "这条引用没有页码，只能显示引文。"),
        (Citation(label="某表", page=99, quote="原文"), QIFU_PDF, "报告只有 42 页，无法显示第99页。"),
    ],
)
def test_citation_view_falls_back_to_the_quote(citation, path, note):
    view = render.citation_view(citation, path)
    assert view.image is None and not view.highlighted
    assert view.text == render.quote_markdown(citation, note=note)


def test_trim_margins_crops_blank_paper_with_padding():
    page = Image.new("RGB", (400, 300), (255, 255, 255))
    page.paste((0, 0, 0), (100, 50, 200, 120))
    assert render.trim_margins(page, pad=10).size == (120, 90)
    blank = Image.new("RGB", (40, 30), (255, 255, 255))
    assert render.trim_margins(blank).size == (40, 30)



# --- the cited cell, row and column, on real layouts: checked against pdfplumber's own words ---


def _words(path, page: int, text: str) -> list[dict]:
    """Where pdfplumber prints `text` as one word on the page (top-left origin, points)."""
    return [w for w in _page_words(str(path), page) if w["text"] == text]


@functools.lru_cache(maxsize=32)
def _page_words(path: str, page: int) -> tuple[dict, ...]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return tuple(pdf.pages[page - 1].extract_words())


def _cell_is(box, word) -> bool:
    return abs(box.x0 - word["x0"]) < 1.5 and abs(box.x1 - word["x1"]) < 1.5 and abs(box.top - word["top"]) < 1.5


@pytest.mark.parametrize(
    "path, page, row, value, column, printed, pick",
    [
        # 上海 收入支出决算总表: 支出 label and figure share a line with a 收入 label (no 行次 column)
        (PUTUO_PDF, 7, "八、社会保障和就业支出", 754.75, "支出 › 决算数", "754.75", lambda ws: ws[0]),
        (PUTUO_PDF, 7, "一、一般公共预算财政拨款收入", 9746.5, "收入 › 决算数", "9746.50", lambda ws: ws[0]),
        # 上海 支出决算表: 合计 and 基本支出 print the same figure; the code sits between the name's lines
        (PUTUO_PDF, 14, "2080501 行政单位离退休", 54.53, "基本支出", "54.53", lambda ws: max(ws, key=lambda w: w["x0"])),
        (PUTUO_PDF, 14, "2080501 行政单位离退休", 54.53, "合计", "54.53", lambda ws: min(ws, key=lambda w: w["x0"])),
        # 上海 三公经费表, printed across: the item is a header, 决算数 a header under it
        (PUTUO_PDF, 17, "公务接待费", 0.39, "财政拨款“三公”经费 › 公务接待费 › 决算数", "0.39",
         lambda ws: max(ws, key=lambda w: w["x0"])),
        (PUTUO_PDF, 17, "合计", 0.39, "财政拨款“三公”经费 › 合计 › 决算数", "0.39", lambda ws: min(ws, key=lambda w: w["x0"])),
        # 武汉 收入支出决算总表: 本年收入合计 and 本年支出合计 both 809.69 on one line, with 行次 between
        (QIFU_PDF, 11, "本年支出合计", 809.69, "决算数", "809.69", lambda ws: max(ws, key=lambda w: w["x0"])),
        (QIFU_PDF, 11, "本年收入合计", 809.69, "决算数", "809.69", lambda ws: min(ws, key=lambda w: w["x0"])),
        # 武汉 支出决算表 (another department): 本年支出合计 equals 基本支出 on the 行政运行 row
        (SCJGJ_PDF, 14, "2013801 行政运行", 2486.37, "基本支出", "2486.37", lambda ws: max(ws, key=lambda w: w["x0"])),
        (SCJGJ_PDF, 14, "2013801 行政运行", 2486.37, "本年支出合计", "2486.37", lambda ws: min(ws, key=lambda w: w["x0"])),
    ],
)
def test_the_framed_cell_is_the_cited_row_and_column(path, page, row, value, column, printed, pick):
    box = render.find_cell(path, page, row=row, value=value, column=column)
    assert box is not None
    row_words = _words(path, page, printed)
    assert row_words, printed
    # of the words printing this figure, the expected one is on the cited row (the nearest line to the label)
    label_top = render._row_anchors(render._page_text(*render._file_key(path), page), row)[0].top
    on_row = [w for w in row_words if abs(w["top"] - label_top) < 15] or row_words  # a table printed across
    assert _cell_is(box, pick(on_row)), (box, on_row)


def test_every_hand_checked_shanghai_cell_is_framed_on_a_figure_equal_to_it():
    import json

    cells = [json.loads(line) for line in PUTUO_CELLS.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed = []
    for c in cells:
        if not c["page"]:
            continue
        box = render.find_cell(PUTUO_PDF, c["page"], row=c["label"], value=c["value"], column=c["column"])
        words = [w for w in _words(PUTUO_PDF, c["page"], f"{c['value']:.2f}") if box and _cell_is(box, w)]
        if not words:
            missed.append((c["page"], c["label"], c["column"]))
    assert missed == []


def test_a_figure_not_on_the_page_frames_nothing():
    assert render.find_cell(QIFU_PDF, 11, row="本年支出合计", value=123456.78) is None


def test_how_an_answer_was_got_is_said_in_chinese_without_repeating_itself(university_answers):
    """The walk-through on a report the tests never used: no ids (fund:…, income, subject, operation) and no
    "查表：查表：" in 如何得出."""
    import re

    from ui.render import how_markdown

    for answer in university_answers:
        text = how_markdown(answer)
        assert text and not re.search(r"[A-Za-z]{3,}|fund:", text), text
        assert "查表：查表" not in text and "计算：计算" not in text, text


@pytest.fixture(scope="module")
def university_answers():
    from assistant.lookup import ReportFacts
    from assistant.router import Answerer, Conversation
    from index.ingest import parse_report
    from tests.conftest import UNIVERSITY_TXT

    report = parse_report(UNIVERSITY_TXT)
    answerer, conversation = Answerer(ReportFacts.of(report), sections=report.sections), Conversation()
    questions = ["高等教育的事业收入有多少", "住房公积金用了多少财政拨款", "那基本支出呢", "基本支出占本年支出合计的比例"]
    return [answerer.answer(q, conversation) for q in questions]


def test_every_operation_the_executor_plans_has_a_chinese_name():
    import re
    from pathlib import Path

    from ui.render import OPERATION_NAMES

    source = (Path(__file__).resolve().parents[2] / "assistant" / "execute.py").read_text(encoding="utf-8")
    planned = set(re.findall(r'operation="([a-z_]+)"', source)) | set(re.findall(r'query\.operation == "([a-z_]+)"', source))
    assert planned and planned <= set(OPERATION_NAMES), planned - set(OPERATION_NAMES)
