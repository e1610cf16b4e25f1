"""The report's structure: the standard tables present, years and the department's name consistent.

Three checks reviewers make before reading a figure:
- completeness: a standard table listed in the contents (目录) must be in the report;
- years: part headings, table titles, "截至…年…月…日" and "与…年度相比" against the report's year;
- identity: the department named the same way in headings, table titles and the sentences that speak
  of the department itself, with no template placeholder or template alternative ("下降(增长)") left in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.audit.findings import Finding, Source
from assistant.audit.view import ORDINAL, STANDARD_KINDS, ReportView, prepare
from index.mentions import section_label
from index.model import Section
from index.normalize import compact, join_cjk, normalize
from index.vocabulary import kind_of

_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_YEAR = re.compile(r"(\d{4})年度")
_AS_OF = re.compile(r"截至(\d{4})年(\d{1,2})月(\d{1,2})日")
# "与 2022 年度相比", "比 2022 年度", "较上年": the year a comparison is made with.
_PRIOR_YEAR = re.compile(r"(与|比|较|同)(\d{4})年度")
# Unit names end with one of these ("…局", "…中心", "…委员会").
_UNIT = r"[\u4e00-\u9fff()]{2,30}?(?:局|中心|委员会|办公室|大学|学院|院|所|站|馆|队|厅|处|社|校|园|会|部|委|办)"
# Sentences that speak of the department itself name it right before its year or its holdings.
_SELF_MENTION = re.compile(rf"(?:^|[,;:。])(?:截至\d{{4}}年\d{{1,2}}月\d{{1,2}}日,)?({_UNIT})(?=\d{{4}}年度|本年度|当年|共有|部门\(单位\)共有)")
_PLACEHOLDER = re.compile(r"(X{2,}|x{2,}|×{2,}|\*{3,}|某某|(?<![\u4e00-\u9fff])XX|\((单位|部门)名称\)|【[^】]{0,8}名称】)")
_ALTERNATIVE = re.compile(r"(增加|减少|增长|下降|上升|降低)\((增加|减少|增长|下降|上升|降低)\)")


def structure_findings(view: ReportView) -> list[Finding]:
    """Missing tables, wrong years, and the department named otherwise."""
    front = read_front_matter(Path(view.path)) if view.path else None
    return [*_missing_tables(view, front), *_years(view), *_names(view)]


# --- the front matter (cover and 目录), which the index does not keep ---


@dataclass(frozen=True)
class FrontMatter:
    cover: tuple[str, ...]  # lines before 目录
    contents: tuple[str, ...]  # the lines of 目录
    contents_page: int | None


def read_front_matter(path: Path) -> FrontMatter | None:
    """The cover and the table of contents, read from the first pages of the source file."""
    if not path.is_file():
        return None
    try:
        pages = _first_pages(path)
    except Exception:  # an unreadable source only loses the contents check, never the audit
        return None
    cover: list[str] = []
    contents: list[str] = []
    contents_page: int | None = None
    in_contents = False
    for number, text in pages:
        for raw in normalize(text).split("\n"):
            line = join_cjk(raw.lstrip("-• ").strip())
            if not line or line.startswith("=== page"):
                continue
            if not in_contents:
                if compact(line) == "目录":
                    in_contents, contents_page = True, number
                else:
                    cover.append(line)
                continue
            # The body starts where the contents' first part heading is printed again.
            first_part = next((c for c in contents if _PART.match(c)), None)
            if first_part is not None and compact(line) == compact(first_part) and len(contents) > 3:
                return FrontMatter(tuple(cover[:20]), tuple(contents), contents_page)
            contents.append(line)
    return FrontMatter(tuple(cover[:20]), tuple(contents) if in_contents else (), contents_page)


def _first_pages(path: Path, limit: int = 6) -> list[tuple[int | None, str]]:
    if path.read_bytes()[:5] == b"%PDF-":
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            return [(i + 1, pdf.pages[i].extract_text() or "") for i in range(min(limit, len(pdf.pages)))]
    text = path.read_text(encoding="utf-8", errors="replace")
    return [(None, text[:20000])]


def _missing_tables(view: ReportView, front: FrontMatter | None) -> list[Finding]:
    """A standard table listed in 目录 but absent from the report is an error."""
    if front is None or not front.contents:
        return []
    present = {t.kind for t in view.tables}
    out: list[Finding] = []
    seen: set[str] = set()
    for entry in front.contents:
        if not compact(entry).endswith("表") or re.search(r"空表|无此|无数据", entry):
            continue  # an entry that itself says the table is empty need not be printed
        kind = kind_of(entry).id
        if kind not in STANDARD_KINDS or kind in present or kind in seen:
            continue
        seen.add(kind)
        out.append(
            Finding(
                "error", "table_missing", f"目录所列“{entry}”", None, None, "", "",
                (Source("目录", entry, "", front.contents_page, None, entry),), (),
                note="目录列有此表，但报告正文中找不到这张表",
            )
        )
    return out


# --- years ---


def _years(view: ReportView) -> list[Finding]:
    year = view.identity.year
    if not year:
        return []
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def flag(where: str, printed: str, found: int, expected: int, source: Source) -> None:
        if (where, printed) in seen:
            return
        seen.add((where, printed))
        out.append(
            Finding(
                "error", "year", f"{where}的年份", float(found), float(expected), "", "",
                (source,), (),
                note=f"写作 {found} 年，本报告是 {year} 年度决算，此处应为 {expected} 年",
            )
        )

    for heading in dict.fromkeys(s.heading_path[0] for s in view.sections if s.heading_path):
        for m in _YEAR.finditer(compact(heading)):
            if int(m.group(1)) != year:
                section = next(s for s in view.sections if s.heading_path[:1] == (heading,))
                flag("部分标题", heading, int(m.group(1)), year, Source(heading, "", "", section.page, None, heading))
    for table in view.tables:
        m = _YEAR.match(compact(table.title))
        if m and int(m.group(1)) != year:
            page = table.pages[0] if table.pages else None
            flag("表格标题", table.title, int(m.group(1)), year, Source(table.label, "", "", page, None, table.title))
    for section in view.sections:
        if not _is_narrative(section):
            continue
        text = prepare(section.text).replace("\n", "")
        for m in _AS_OF.finditer(text):
            if int(m.group(1)) != year and (m.group(2), m.group(3)) == ("12", "31"):
                flag("“截至”日期", m.group(0), int(m.group(1)), year, _sentence_source(section, text, m.start()))
        for m in _PRIOR_YEAR.finditer(text):
            if int(m.group(2)) != year - 1:
                flag("比较的上年", m.group(0), int(m.group(2)), year - 1, _sentence_source(section, text, m.start()))
    return out


def _is_narrative(section: Section) -> bool:
    top = compact(section.heading_path[0]) if section.heading_path else ""
    return top.startswith("第三部分") or "情况说明" in top or "报表说明" in top or top.startswith("第一部分")


def _sentence_source(section: Section, text: str, at: int) -> Source:
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    end = min((i for i in (text.find("。", at), text.find("\n", at)) if i >= 0), default=len(text))
    sentence = text[start:end]
    return Source(section_label(section), sentence[:60], "", section.page, None, sentence)


# --- the department's name ---


def department_name(view: ReportView) -> str:
    """The department as the cover names it (without a '第二部分' that a layout may run into it)."""
    return _PART.sub("", compact(view.identity.department))


def _names(view: ReportView) -> list[Finding]:
    name = department_name(view)
    out: list[Finding] = []
    seen: set[str] = set()
    members = _member_units(view)

    def judge(mention: str, where: str, source: Source) -> None:
        mention = compact(mention)
        if not name or not mention or mention in seen or _same_unit(mention, name) or mention in members:
            return
        variant = difflib.SequenceMatcher(None, mention, name).ratio() >= 0.8
        seen.add(mention)
        out.append(
            Finding(
                "warning" if variant else "error", "name", f"{where}中的单位名称", None, None, "", "",
                (source,), (Source("封面", name, "", 1 if view.path.lower().endswith(".pdf") else None, None, name),),
                note=(f"写作“{mention}”，封面为“{name}”" + ("（写法不一致）" if variant else "（不是本部门的名称）")),
            )
        )

    for heading in dict.fromkeys(s.heading_path[0] for s in view.sections if s.heading_path):
        mention = _heading_unit(heading)
        if mention:
            section = next(s for s in view.sections if s.heading_path[:1] == (heading,))
            judge(mention, "部分标题", Source(heading, "", "", section.page, None, heading))
    for section in view.sections:
        if not _is_narrative(section) or "单位构成" in section.heading:
            continue
        text = prepare(section.text).replace("\n", "")
        for m in _SELF_MENTION.finditer(text):
            # A sentence's subject, not '根据…局…': it starts like the department's own name (its region).
            if compact(m.group(1))[:2] == name[:2]:
                judge(m.group(1), "正文", _sentence_source(section, text, m.start(1)))
    for table in view.tables:
        for note in table.notes:
            for m in _SELF_MENTION.finditer(prepare(note)):
                if compact(m.group(1))[:2] == name[:2]:
                    page = table.pages[-1] if table.pages else None
                    judge(m.group(1), "表注", Source(table.label, "注", "", page, None, note))
    out.extend(_placeholders(view))
    return out


def _heading_unit(heading: str) -> str:
    """'第三部分 X 2023 年度部门决算情况说明' → X; '第一部分 X概况' → X; '' for other parts."""
    body = ORDINAL.sub("", _PART.sub("", compact(heading)))
    m = re.match(r"^(.+?)(?:\d{4}年度?)?部门决算", body) or re.match(r"^(.+?)概况$", body)
    if not m:
        return ""
    unit = re.sub(r"\d{4}年度?$", "", m.group(1))
    if len(unit) < 4 or re.fullmatch(r"(本)?(部门|单位|学校|医院|机关)", unit):
        return ""  # "第一部分 部门概况": no name printed
    return unit if re.search(r"(局|中心|委员会|办公室|院|所|站|馆|队|厅|处|社|校|园|会|部|委|办)$", unit) else ""


def _same_unit(mention: str, name: str) -> bool:
    """The full name, or the name without its leading region ('汉阳区企业服务中心', '本局')."""
    return mention == name or (len(mention) >= 4 and name.endswith(mention))


def _member_units(view: ReportView) -> set[str]:
    """Units listed as part of the department (单位构成): their names are not the department's."""
    units: set[str] = set()
    for section in view.sections:
        if "单位构成" in section.heading:
            units |= {compact(m.group(1)) for m in re.finditer(rf"({_UNIT})", prepare(section.text))}
    return units


def _placeholders(view: ReportView) -> list[Finding]:
    """Template text left in: placeholders ('XX局') and alternatives ('下降(增长)')."""
    out: list[Finding] = []
    for section in view.sections:
        text = prepare(section.text).replace("\n", "")
        for pattern, what in ((_PLACEHOLDER, "占位符"), (_ALTERNATIVE, "模板备选用语")):
            for m in pattern.finditer(text):
                out.append(
                    Finding(
                        "error" if pattern is _PLACEHOLDER else "warning", "name", f"正文中的{what}", None, None,
                        "", "", (_sentence_source(section, text, m.start()),), (),
                        note=f"“{m.group(0)}”是模板文字，未按实际情况改写",
                    )
                )
    return out
