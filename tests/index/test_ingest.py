"""Ingest: identity, sections, bad input with one clear error, nothing lost or duplicated."""

from __future__ import annotations

import io

import pytest

from assistant.errors import ReportError
from index.ingest import parse_report
from index.store import FactStore
from tests.conftest import PUTUO_TXT, QIFU_PDF, QIFU_TXT


def test_identity_and_sections(qifu_pdf):
    assert qifu_pdf.identity.department == "武汉市汉阳区企业服务中心"
    assert qifu_pdf.identity.year == 2023
    assert qifu_pdf.page_count == 42
    headings = [s.heading for s in qifu_pdf.sections]
    assert any(h.endswith("十一、政府采购支出情况") for h in headings)
    procurement = next(s for s in qifu_pdf.sections if s.heading.endswith("十一、政府采购支出情况"))
    assert procurement.pages == (25,)
    assert "73.44" in procurement.text
    # Nine 职能 items, each its own sub-section.
    duties = [s for s in qifu_pdf.sections if "一、部门主要职能" in s.heading_path]
    assert len(duties) == 9


def test_paragraph_across_page_break_is_joined(qifu_pdf):
    item = next(s for s in qifu_pdf.sections if "政企云沟通畅联平台建设经费项目绩效自评综述" in s.heading)
    assert "全年预算数为 92 万元" in item.text


def test_text_mentions_are_facts(qifu_pdf):
    stated = [f for f in qifu_pdf.facts if f.source == "text" and f.value == 743.02]
    assert stated and "年初预算" in stated[0].row
    assert stated[0].page == 24
    cars = [f for f in qifu_pdf.facts if f.source == "text" and f.unit == "辆"]
    assert [c.value for c in cars] == [0.0]


def _pdf_bytes(path, pages=None, password=None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(path))
    writer = PdfWriter()
    for i in pages if pages is not None else range(len(reader.pages)):
        writer.add_page(reader.pages[i])
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    return out.getvalue()


BAD_INPUTS = {
    "empty.pdf": (lambda: b"", "文件为空"),
    "truncated.pdf": (lambda: QIFU_PDF.read_bytes()[:2000], "PDF"),
    "encrypted.pdf": (lambda: _pdf_bytes(QIFU_PDF, pages=range(3), password="secret"), "加密"),
    "scanned.pdf": (_scanned_pdf, "扫描件"),
    "narrative-only.pdf": (lambda: _pdf_bytes(QIFU_PDF, pages=range(22, 27)), "不是部门决算"),
    "not-a-pdf.pdf": (lambda: b"hello world, not a pdf at all", "不是 PDF"),
    "notes.txt": (lambda: "会议纪要\n今天讨论了午饭。\n".encode(), "不是部门决算"),
    "binary.txt": (lambda: bytes(range(256)) * 4, "文本"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_clear_error(tmp_path, name):
    make, reason = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ReportError) as info:
        parse_report(path)
    message = str(info.value)
    assert name in message and reason in message


def test_reingest_replaces_and_bad_input_leaves_store_as_it_was(tmp_path, qifu_txt):
    store = FactStore(tmp_path / "facts.sqlite3")
    store.save(qifu_txt)
    before = store.counts(qifu_txt.report_id)
    store.save(parse_report(QIFU_TXT))
    assert store.counts(qifu_txt.report_id) == before
    assert len(store.reports()) == 1
    assert before["facts"] == len(qifu_txt.facts)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(ReportError):
        store.save(parse_report(bad))
    assert store.counts(qifu_txt.report_id) == before


def test_store_round_trip(tmp_path, qifu_pdf):
    store = FactStore(tmp_path / "facts.sqlite3")
    store.save(qifu_pdf)
    assert store.facts(qifu_pdf.report_id) == qifu_pdf.facts
    assert store.sections(qifu_pdf.report_id) == qifu_pdf.sections
    assert store.tables(qifu_pdf.report_id) == qifu_pdf.tables
    assert store.checks(qifu_pdf.report_id) == qifu_pdf.checks
    assert [f.table for f in store.facts(qifu_pdf.report_id, table="公开06表")] == ["公开06表"] * 24


def test_cover_with_the_department_before_the_year(tmp_path):
    text = QIFU_TXT.read_text(encoding="utf-8").replace(
        "2023 年度武汉市汉阳区企业服务中心 部门决算", "武汉市汉阳区企业服务中心 2023 年度部门决算", 1
    )
    path = tmp_path / "cover.txt"
    path.write_text(text, encoding="utf-8")
    identity = parse_report(path).identity
    assert (identity.department, identity.year) == ("武汉市汉阳区企业服务中心", 2023)


def test_table_number_printed_after_the_title(tmp_path):
    text = QIFU_TXT.read_text(encoding="utf-8").replace(
        "2023 年度收入决算表\n\n公开 02 表\n", "2023 年度收入决算表（公开02表）\n", 1
    )
    assert "收入决算表（公开02表）" in text
    path = tmp_path / "inline.txt"
    path.write_text(text, encoding="utf-8")
    tables = {t.key: t.title for t in parse_report(path).tables}
    assert tables["公开02表"] == "2023 年度收入决算表"


def test_rows_read_without_ruling_lines_stay_marked_in_the_store(tmp_path):
    from index.model import Row, Table
    from index.store import FactStore

    report = parse_report(PUTUO_TXT)
    table = report.tables[0]
    report.tables[0] = Table(**{**table.__dict__, "rows": (Row(7, ("合计", "1.00"), ruled=False),) + table.rows[1:]})
    store = FactStore(tmp_path / "facts.sqlite3")
    store.save(report)
    rows = store.tables(report.report_id)[0].rows
    assert rows[0].ruled is False and all(r.ruled for r in rows[1:])


def test_an_items_figures_name_the_items_subject_path():
    """'3、教育支出（类）普通教育（款）小学教育（项）。主要用于…。年初预算为…': the item's sentences measure it;
    another item, or a new paragraph, starts afresh."""
    from index.mentions import section_mentions
    from index.model import Section
    from index.normalize import normalize

    text = ("3、教育支出（类）普通教育（款）小学教育（项）。主要用于：学校运转。年初预算为 12.50 万元，支出决算为 11.00 万元，"
            "完成年初预算的 88.00%。\n4、教育支出（类）普通教育（款）初中教育（项）。年初预算为 3.00 万元。\n年初预算为 9.00 万元。")
    section = Section(report_id="r", heading_path=("五、一般公共预算财政拨款支出决算情况说明",), text=normalize(text), pages=(7,),
                      position=0)  # as ingest stores it
    rows = [(f.row, f.value) for f in section_mentions(section)]
    assert rows[:3] == [("教育支出(类)普通教育(款)小学教育(项)年初预算", 12.5), ("教育支出(类)普通教育(款)小学教育(项)支出决算", 11.0),
                        ("教育支出(类)普通教育(款)小学教育(项)完成年初预算的", 88.0)]
    assert rows[3] == ("教育支出(类)普通教育(款)初中教育(项)年初预算", 3.0)
    assert rows[4] == ("年初预算", 9.0)


def test_later_clauses_of_a_sentence_keep_its_subject():
    """'X年初预算为 a 万元，全年预算数为 b 万元，支出决算为 c 万元': b and c are X's too."""
    from index.mentions import section_mentions
    from index.model import Section
    from index.normalize import normalize

    text = "2023年度一般公共预算财政拨款支出年初预算为 743.02 万元，全年预算数为 930.38 万元，支出决算为 809.69 万元。"
    section = Section(report_id="r", heading_path=("五、一般公共预算财政拨款支出决算情况说明",), text=normalize(text), pages=(24,),
                      position=0)
    rows = [f.row.replace(" ", "") for f in section_mentions(section)]
    assert rows == ["2023年度一般公共预算财政拨款支出年初预算", "2023年度一般公共预算财政拨款支出全年预算数",
                    "2023年度一般公共预算财政拨款支出支出决算"]
