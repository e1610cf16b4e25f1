from __future__ import annotations

from dataclasses import replace

import pytest

from index.chunks import MAX_CHARS, build_chunks, chunk_id, clean_label, passage_text, sentence_texts
from index.model import Chunk
from tests.index.conftest import PART3, section


def by_heading(chunks: list[Chunk]) -> dict[str, Chunk]:
    return {c.heading_path[-1]: c for c in chunks}


def test_each_section_and_table_becomes_chunks_carrying_heading_pages_and_report(small_report):
    chunks = build_chunks(small_report)
    assets = by_heading(chunks)["十二、国有资产占用情况"]
    assert assets == Chunk(
        id=chunk_id("r1", f"{PART3} › 十二、国有资产占用情况", "2.0.0"),
        report_id="r1",
        heading_path=(PART3, "十二、国有资产占用情况"),
        text="截至2023年12月31日，共有车辆0辆；单价50万元(含)以上通用设备0台(套)。",
        pages=(3,),
        kind="section",
    )
    assert [c.kind for c in chunks].count("table") == len(small_report.tables)
    assert len({c.id for c in chunks}) == len(chunks)


def test_ids_are_deterministic_and_depend_on_report_heading_and_position(small_report):
    first = [c.id for c in build_chunks(small_report)]
    assert first == [c.id for c in build_chunks(small_report)]
    moved = replace(small_report, sections=[replace(s, position=s.position + 100) for s in small_report.sections])
    assert set(first).isdisjoint(c.id for c in build_chunks(moved) if c.kind == "section")
    assert chunk_id("r1", "h", "1") != chunk_id("r2", "h", "1") != chunk_id("r1", "h2", "1")


def test_numbered_items_inside_one_section_become_item_chunks(small_report):
    duties = [c for c in build_chunks(small_report) if "一、部门主要职能" in c.heading_path]
    assert [c.heading_path[-1] for c in duties] == [
        "(一) 承担企业服务体系建设",
        "(二) 承担企业投诉受理工作",
    ]
    assert duties[1].text.startswith("(二) 承担企业投诉受理工作")


def test_a_list_of_short_items_stays_one_chunk():
    s = section(("第四部分", "一、重点工作"), "1. 推进平台建设。\n2. 开展活动。\n3. 解决遗留问题。", 0)
    report = _report([s])
    (chunk,) = build_chunks(report)
    assert chunk.heading_path == ("第四部分", "一、重点工作")
    assert chunk.text == s.text


def test_title_only_sibling_sections_merge_under_their_parent(small_report):
    work = [c for c in build_chunks(small_report) if "重点工作" in c.heading]
    assert [(c.heading_path, c.text) for c in work] == [
        (("第四部分 2023 年重点工作完成情况", "一、重点工作事项标题"), "1. 推进平台建设\n2. 开展服务企业活动")
    ]


def test_long_sections_split_on_sentence_boundaries():
    sentences = [f"第{i}句说明了预算执行和项目绩效的具体情况，内容较长需要切分。" for i in range(40)]
    s = section((PART3, "十三、预算绩效情况说明"), "".join(sentences), 0)
    chunks = build_chunks(_report([s]))
    assert len(chunks) > 1
    assert all(len(c.text) <= MAX_CHARS and c.text.endswith("。") for c in chunks)
    assert "".join(c.text for c in chunks) == s.text
    assert {c.heading_path for c in chunks} == {s.heading_path}
    assert len({c.id for c in chunks}) == len(chunks)


def test_table_chunk_describes_title_coverage_project_and_row_labels(small_report):
    tables = {c.heading_path[0]: c for c in build_chunks(small_report) if c.kind == "table"}
    assert tables["公开03表 2023 年度支出决算表"].text == (
        "公开03表 2023 年度支出决算表（单位：万元）\n本表反映部门本年度各项支出情况。\n行：一般公共服务支出、事业运行"
    )
    project = tables["2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表"]
    assert project.pages == (6,)
    assert "项目：政企云沟通畅联平台建设经费" in project.text
    assert "网站及微信小程序建设" in project.text and "2个" not in project.text


@pytest.mark.parametrize(
    "cell, label",
    [
        ("201 一般公共服务支出", "一般公共服务支出"),
        ("一、一般公共预算财政拨款收入", "一般公共预算财政拨款收入"),
        ("(三) 项目 支出", "项目支出"),
        ("1. 卫生健康(类)支出", "卫生健康(类)支出"),
        ("住房公积金", "住房公积金"),
    ],
)
def test_clean_label(cell, label):
    assert clean_label(cell) == label


def test_passage_text_puts_the_heading_first_without_department_and_year(small_report):
    chunk = by_heading(build_chunks(small_report))["十二、国有资产占用情况"]
    assert passage_text(chunk, department="××中心") == (
        "部门决算情况说明 › 十二、国有资产占用情况\n" + chunk.text
    )
    duty = next(c for c in build_chunks(small_report) if "部门主要职能" in c.heading)
    assert passage_text(duty).startswith("××中心概况 › ")  # the department is cut only when known
    assert passage_text(duty, department="××中心").startswith("概况 › ")


def test_sentence_texts_split_passages_of_several_sentences(small_report):
    chunks = by_heading(build_chunks(small_report))
    total = chunks["一、收入支出决算总体情况说明"]
    assert sentence_texts(total) == [
        "一、收入支出决算总体情况说明\n2023 年度收、支总计 809.69 万元。",
        "一、收入支出决算总体情况说明\n主要原因是建立“政企云”沟通畅联平台。",
    ]
    assert sentence_texts(chunks["(十三) 基本支出"]) == []  # one sentence: the chunk itself
    assert all(sentence_texts(c) == [] for c in build_chunks(small_report) if c.kind == "table")


def test_sample_report_chunks(qifu_txt):
    chunks = build_chunks(qifu_txt)
    headings = [c.heading for c in chunks]
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)
    assert sum("项目绩效自评综述" in h for h in headings) == 9
    assert sum("部门主要职能" in h for h in headings) == 9
    (work,) = [c for c in chunks if "重点工作" in c.heading]
    assert work.text.count("\n") == 6  # the seven 重点工作 titles, together
    assert sum(c.kind == "table" for c in chunks) == len(qifu_txt.tables)


def _report(sections):
    from index.model import ParsedReport, ReportIdentity

    return ParsedReport(
        report_id="r1", path="r1.txt", source_hash="x", identity=ReportIdentity("××中心", 2023, ""),
        page_count=1, sections=sections,
    )
