"""Subject codes and their names: one code, one name, in every table and in the narrative.

A 科目 is printed with its code in several tables (收入决算表, 支出决算表, the fiscal tables) and often named
with its code in the narrative ("小学教育（2050202）"). The same code under two names is a copy error in one
of them (a peer tool's rule: "科目编码与名称不符"). Names are compared as printed, reduced only by `clean`
(blanks, quotes, (类)/(款)/(项)), so that a layout's spacing is not a finding.
"""

from __future__ import annotations

import difflib
import re

from assistant.audit.findings import Finding, Source
from assistant.audit.view import ReportView, cell_source, clean, prepare
from index.mentions import section_label
from index.model import Fact, Table

# "小学教育（2050202）", "住房公积金(2210201)": a name followed by its functional code in parentheses.
_NAMED_CODE = re.compile(r"([\u4e00-\u9fff()]{2,30}?)\((2\d{2}(?:\d{2}){0,2})\)")


def subject_findings(view: ReportView) -> list[Finding]:
    """A code printed under another name in a second table, or named otherwise in the narrative."""
    first: dict[tuple[str, str], tuple[str, Fact, Table]] = {}
    out: list[Finding] = []
    flagged: set[tuple[str, str, str]] = set()
    for table in view.tables:
        for fact in view.facts_of(table):
            if not fact.code:
                continue
            key, name = (fact.classification, fact.code), clean(fact.row)
            if key not in first:
                first[key] = (name, fact, table)
                continue
            known, other, other_table = first[key]
            if _same(name, known) or (fact.code, name, table.key) in flagged:
                continue
            flagged.add((fact.code, name, table.key))
            out.append(
                Finding(
                    _severity(name, known), "subject_name", f"科目 {fact.code} 的名称", None, None, "", "",
                    (cell_source(fact, table, fact.row, fact.column),),
                    (cell_source(other, other_table, other.row, other.column),),
                    note=f"{table.key}写作“{name}”，{other_table.key}写作“{known}”，同一科目编码名称不一致",
                )
            )
    names = {code: entry for (_, code), entry in first.items()}
    for section in view.sections:
        text = prepare(section.text).replace("\n", "")
        for m in _NAMED_CODE.finditer(text):
            code = m.group(2)
            if code not in names:
                continue
            known, fact, table = names[code]
            said = re.sub(r"^(\d+[.、]|[,;:。])+", "", clean(m.group(1)))
            # The words before the code end with its name: '…决算数为… 小学教育' is not compared whole.
            if not said or said.endswith(known) or known.endswith(said) or _same(said, known):
                continue
            start = max(text.rfind("。", 0, m.start()), 0)
            sentence = text[start : text.find("。", m.end()) if "。" in text[m.end() :] else len(text)].lstrip("。")
            out.append(
                Finding(
                    _severity(said, known), "subject_name", f"科目 {code} 的名称", None, None, "", "",
                    (Source(section_label(section), m.group(0), "", section.page, None, sentence),),
                    (cell_source(fact, table, fact.row, fact.column),),
                    note=f"正文写作“{said}（{code}）”，{table.key}中 {code} 为“{known}”",
                )
            )
    return out


def _same(a: str, b: str) -> bool:
    """The same name, or one cut short at the end of a printed cell ('…养老保险缴费支' for '…缴费支出')."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _severity(a: str, b: str) -> str:
    """Another subject's name is an error; the same name written a little differently is a doubt."""
    return "warning" if difflib.SequenceMatcher(None, a, b).ratio() >= 0.75 else "error"
