"""What the audit reports: a finding with both sides cited, how severe it is, and how it reads in Chinese."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

# "unverifiable" (未能核对): a check whose operands could not all be located; listed apart, never an error.
Severity = Literal["error", "rounding", "warning", "info", "unverifiable"]
CheckKind = Literal[
    "table_formula",  # a check formula printed under a table, or the 合计 = Σ类 = ΣΣ款 hierarchy
    "printed_formula",  # a check formula that is wrong as printed
    "cross_table",  # an identity between two standard tables
    "table_unread",  # a table read as blank or zeros while other figures say it has content
    "table_missing",  # a standard table listed in the contents (目录) but not in the report
    "narrative_amount",  # a figure in the narrative that restates a table cell
    "narrative_share",  # "占本年支出 65.7%"
    "narrative_growth",  # "增加 184.88 万元, 增长 29.6%"
    "narrative_rate",  # "完成预算的 93.29%"
    "narrative_sum",  # class budgets in 五(三) against the stated total; parts listed after 其中
    "comparison_word",  # "决算数小于预算数" while the sentence's own figures say otherwise
    "year",  # a heading, table title or "截至…" date naming another year than the report's
    "name",  # the department named differently, or a placeholder left in
    "wording",  # a word printed twice in a row ("增加增加")
    "narrative_item",  # a row of the table that the 具体情况 items do not describe
    "narrative_use",  # the use stated for a subject belongs to another subject
    "narrative_reason",  # a change against last year with no reason given
    "subject_name",  # one subject code under two names (two tables, or a table and the narrative)
    "narrative_unit",  # a figure that restates a cell in 万元 but is written in 元 (or the reverse)
    "narrative_blank",  # a figure stated in the text whose table cell (or whole column) is blank
    "project_amount",  # a project's 预算数 / 执行数 in the narrative against its 自评表
    "project_rate",  # 执行率 = 执行数 / 预算数 in a 项目绩效自评表
    "project_total",  # Σ 项目执行数 = 项目支出
]

SEVERITY_LABELS: dict[str, str] = {
    "error": "错误", "rounding": "舍入差异", "warning": "存疑", "info": "提示", "unverifiable": "未能核对",
}
SEVERITY_ORDER = ("error", "rounding", "warning", "info", "unverifiable")
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}
# How each side of a finding is introduced, by check: (stated side, computed side).
_SIDE_WORDS: dict[str, tuple[str, str]] = {
    "table_formula": ("表中为", "按公式计算为"),
    "cross_table": ("表中为", "对应表中为"),
    "table_unread": ("表中读到", "而对应数字为"),
    "narrative_amount": ("正文写作", "表中为"),
    "narrative_blank": ("正文写作", "表中为"),
    "narrative_share": ("正文写作", "按表计算为"),
    "narrative_growth": ("正文写作", "按表计算为"),
    "narrative_rate": ("正文写作", "计算为"),
    "narrative_sum": ("正文写作", "各项相加为"),
    "project_amount": ("正文写作", "自评表中为"),
    "project_rate": ("表中写作", "执行数/预算数为"),
    "project_total": ("各项目执行数之和为", "项目支出为"),
}


@dataclass(frozen=True)
class Source:
    """One cited side of a comparison: a table cell, or a sentence of the narrative."""

    table: str  # table label ("公开05表 2023 年度…") or section label ("第三部分… › 五、…")
    row: str  # the row, or the words naming the figure in the sentence
    column: str = ""
    page: int | None = None
    value: float | None = None
    quote: str = ""  # the printed row or sentence, for the reader to find it on the page

    @property
    def label(self) -> str:
        """'公开05表 …“合计”本年支出 › 小计，第17页' — how a finding cites it."""
        where = f"“{self.row}”" if self.row else ""
        column = f" {self.column}" if self.column else ""
        page = f"，第{self.page}页" if self.page else ""
        return f"{self.table}{where}{column}{page}"


@dataclass(frozen=True)
class Finding:
    """One discrepancy (or note) found by the audit, with both sides cited."""

    severity: Severity
    check: CheckKind
    subject: str  # what was checked, in the report's words
    stated: float | None  # what the report states (table cell or narrative figure)
    computed: float | None  # what the tables give
    unit: str  # "万元", "%" or the table's unit
    formula: str  # the arithmetic, with its operands
    stated_at: tuple[Source, ...]
    computed_from: tuple[Source, ...]
    note: str = ""  # why this severity, or (for checks without figures) what is wrong
    report: str = ""  # the report id the finding belongs to

    @property
    def message(self) -> str:
        """One Chinese sentence: what is stated, what the tables give."""
        if self.check not in _SIDE_WORDS or self.severity == "unverifiable":
            return f"{self.subject}：{self.note}"
        stated_words, computed_words = _SIDE_WORDS[self.check]
        text = (
            f"{self.subject}：{stated_words} {fmt(self.stated, self.unit, exact=True)}，"
            f"{computed_words} {fmt(self.computed, self.unit)}"
        )
        return text + (f"（{self.note}）" if self.note else "")

    @property
    def page(self) -> int | None:
        """The page a reader should open first: where the stated side is printed."""
        return next((s.page for s in (*self.stated_at, *self.computed_from) if s.page), None)

    def to_dict(self) -> dict:
        return {
            "report": self.report,
            "severity": self.severity,
            "severity_label": SEVERITY_LABELS[self.severity],
            "check": self.check,
            "subject": self.subject,
            "message": self.message,
            "stated": self.stated,
            "computed": None if self.computed is None else round(self.computed, 4),
            "unit": self.unit,
            "formula": self.formula,
            "note": self.note,
            "page": self.page,
            "stated_at": [asdict(s) for s in self.stated_at],
            "computed_from": [asdict(s) for s in self.computed_from],
        }


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Errors first, then rounding mismatches, then doubts, then notes (stable within each)."""
    return sorted(findings, key=lambda f: _SEVERITY_RANK[f.severity])


def render_findings(findings: list[Finding]) -> str:
    """The findings as plain Chinese text, grouped by severity, each with both citations."""
    if not findings:
        return "核对完毕，未发现不一致：各表校验公式、表间关系、正文数字与项目执行率均能对上。"
    lines = [_headline(findings)]
    for severity in SEVERITY_ORDER:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append("")
        lines.append(f"【{SEVERITY_LABELS[severity]}】")
        for i, finding in enumerate(group, 1):
            lines.append(f"{i}. {finding.message}")
            if finding.formula:
                lines.append(f"   算式：{finding.formula}")
            for source in finding.stated_at:
                lines.append(f"   所述：{source.label}")
            for source in finding.computed_from:
                lines.append(f"   依据：{source.label}")
    return "\n".join(lines)


def audit_answer_text(findings: list[Finding]) -> str:
    """A short Chinese chat answer to 'does this report add up?'."""
    scope = (
        "我核对了各表是否齐全、各表的校验公式、表与表之间的勾稽关系、正文中的金额、占比、增幅、完成率和比较用语、"
        "年份与单位名称，以及项目执行率。"
    )
    if not findings:
        return scope + "没有发现不一致，数据都能对上。"
    lines = [scope + _headline(findings)]
    for finding in findings:
        page = f"见第{finding.page}页。" if finding.page else ""
        lines.append(f"- [{SEVERITY_LABELS[finding.severity]}] {finding.message}。{page}")
    if any(f.severity == "rounding" for f in findings):
        lines.append("舍入差异：相差只在最后一位（如 0.01 万元），多为各数分别四舍五入所致。")
    return "\n".join(lines)


def _headline(findings: list[Finding]) -> str:
    counts = [
        f"{n} 条{SEVERITY_LABELS[s]}" if s == "info" else f"{n} 项{SEVERITY_LABELS[s]}" if s == "unverifiable"
        else f"{n} 处{SEVERITY_LABELS[s]}"
        for s in SEVERITY_ORDER
        if (n := sum(f.severity == s for f in findings))
    ]
    return "发现 " + "、".join(counts) + "："


# --- arithmetic and wording ---


def percent(part: float, whole: float) -> float | None:
    """part / whole in percent, exactly as decimals divide (None for a zero whole)."""
    if abs(whole) < 1e-9:
        return None
    try:
        return float(Decimal(repr(part)) * 100 / Decimal(repr(whole)))
    except InvalidOperation:
        return None


def rounded(value: float, decimals: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def judge_percent(stated: float, decimals: int, computed: float) -> Severity | None:
    """None when the printed percentage is the computed one rounded as printed; rounding when it is at
    most one unit of its last digit (or 0.1 point) from that rounded value; error otherwise."""
    value = rounded(computed, decimals)
    if value == rounded(stated, decimals):
        return None
    if abs(float(value) - stated) <= max(0.1, 10.0**-decimals) + 1e-9:
        return "rounding"
    return "error"


def judge_amount(stated: float, decimals: int, table_value: float) -> Severity | None:
    """Amounts are printed to the cent: a figure agrees when it is the cell rounded as printed; one unit
    off in its last place (0.01 for a figure to the cent) is rounding; anything else is an error."""
    places = min(decimals, 2)
    value = rounded(table_value, places)
    if value == rounded(stated, places):
        return None
    if abs(float(value) - stated) <= 10.0**-places + 1e-9:
        return "rounding"
    return "error"


def judge_sum(stated: float, computed: float, slack: float) -> Severity | None:
    """A printed total against the sum it should be: equal, within the summands' rounding, or not."""
    difference = abs(stated - computed)
    if difference < 1e-6:
        return None
    return "rounding" if difference <= slack else "error"


def severity_note(severity: Severity, decimals: int, computed: float) -> str:
    if severity == "rounding":
        return f"按{decimals}位小数四舍五入应为 {rounded(computed, decimals)}" if decimals else f"四舍五入应为 {rounded(computed, 0)}"
    return ""


def difference_note(stated: float, computed: float) -> str:
    return f"相差 {abs(stated - computed):.2f}"


def num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value - round(value, 2)) < 1e-9 else f"{value:.4f}"


def fmt(value: float | None, unit: str, *, exact: bool = False) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return (num(value) if exact else f"{value:.2f}") + "%"
    return num(value) + (f" {unit}" if unit else "")
