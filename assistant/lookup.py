"""Fact ranking for the stated-figure path: a question's words against every fact (sentences above all).

Rows × columns of the report's tables are planned through `schema.py` / `query.py`; this ranking serves what
they leave: figures stated in sentences, and rows the schema cannot name from the question's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.model import Fact, Table
from index.normalize import compact
from index.vocabulary import to_wanyuan  # noqa: F401  (re-exported: callers import it from here)

# Column words: what the question asks about a row (metric), each with the column texts it selects.
METRICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (question words, column words)
    "rate": (("执行率", "完成率", "完成预算", "预算执行"), ("执行率",)),
    "initial_budget": (("年初预算",), ("年初预算",)),
    "budget": (("全年预算", "预算数", "预算"), ("预算数", "预算")),
    "executed": (("执行数", "执行了", "实际执行", "执行多少", "执行"), ("执行数",)),
    "basic": (("基本支出",), ("基本支出",)),
    "project": (("项目支出",), ("项目支出",)),
    "carry_over_end": (("年末结转", "年末", "年底", "还剩", "没用完", "剩余", "结转下年"), ("年末结转和结余",)),
    "carry_over_start": (("年初结转", "年初"), ("年初结转和结余",)),
    "actual": (("决算数", "决算", "实际", "花了", "支出了", "用了"), ("决算数", "执行数", "合计", "小计")),
}
_COUNT_UNITS = ("人", "名", "个", "家", "辆", "条", "台", "台(套)", "台件", "件", "项", "场", "次", "批次", "户", "万户", "人次", "套", "篇")
_MONEY_UNITS = ("万元", "元", "亿元")
# Units specific enough that "几辆车" may take the only figure counted in 辆 (not 人, 个, 名).
_SPECIFIC_COUNTS = ("辆", "家", "条", "台", "户", "批次", "件", "场", "套", "篇")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、|^\d+\.\s*|^[(（][一二三四五六七八九十]+[)）]")
_CLASS_MARK = re.compile(r"[(（][类款项][)）]")
_GENERIC = set("项目 经费 支出 工作 建设 资金 单位 费用 情况 部门 年度 合计 收入 财政 拨款 预算 决算 本年 一般 公共 多少 什么".split())
_QUESTION_NOISE = re.compile(
    r"(请问|一下|到|是多少|有多少|多少钱|多少|是什么|有哪些|哪些|怎么样|如何|为什么|呢|吗|啊|了|的|是|一共|总共|共|都|全部|花|？|\?|。|,|，|!|！|“|”|\s)"
)


@dataclass(frozen=True)
class Match:
    """A fact with how well it answers the question and why."""

    fact: Fact
    score: float
    subject: str  # the part of the fact that matched the question's subject
    subject_len: int
    table: Table | None = None


@dataclass
class ReportFacts:
    """One report's facts and tables, indexed for lookup."""

    report_id: str
    facts: list[Fact]
    tables: dict[str, Table]
    department: str = ""
    year: int | None = None
    projects: dict[str, str] = field(default_factory=dict)  # table key → project name

    @classmethod
    def build(cls, *, report_id: str, facts: list[Fact], tables: list[Table], department: str, year: int | None) -> "ReportFacts":
        """Index one report's facts and tables (the projects come from the 项目绩效自评表)."""
        return cls(
            report_id=report_id,
            facts=facts,
            tables={t.key: t for t in tables},
            department=department,
            year=year,
            projects={t.key: t.project for t in tables if t.project},
        )

    @classmethod
    def of(cls, report) -> "ReportFacts":
        """From a ParsedReport."""
        return cls.build(
            report_id=report.report_id, facts=report.facts, tables=report.tables,
            department=report.identity.department, year=report.identity.year,
        )

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)

    def same_cell(self, fact: Fact) -> Fact | None:
        """This report's fact in the same numbered table, row and column as another report's fact."""
        if getattr(self, "_cells", None) is None:
            self._cells = {_cell_key(f): f for f in self.facts if f.source == "table"}
        return self._cells.get(_cell_key(fact))

    def bigrams(self) -> list[frozenset[str]]:
        """Per fact, the character pairs of everything that could match a question (computed once)."""
        if getattr(self, "_bigrams", None) is None or len(self._bigrams) != len(self.facts):
            self._bigrams = [
                _pairs(clean_label(f.row) + "|" + compact(f.column) + "|" + self.projects.get(f.table, "") + "|"
                       + compact(f.table_title) + "|" + compact(f.quote) + "|" + compact(f.table) + "|" + f.code)
                for f in self.facts
            ]
        return self._bigrams


@lru_cache(maxsize=100_000)
def clean_label(label: str) -> str:
    """'一、一般公共预算财政拨款收入' → '一般公共预算财政拨款收入'; '社会保障和就业(类)支出' → '社会保障和就业支出'."""
    text = compact(label).replace("“", "").replace("”", "").replace('"', "")
    text = _ORDINAL.sub("", text)
    text = re.sub(r"^其中[:：]", "", text)  # "其中:捐赠收入" is the row 捐赠收入, printed as a part of the row above
    return _CLASS_MARK.sub("", text)


def metric_of(question: str) -> list[str]:
    """The metrics a question names, most specific first ('执行率' before '执行')."""
    q = _FUND.sub("", compact(question))
    found = []
    for name, (words, _) in METRICS.items():
        if any(w in q for w in words):
            found.append(name)
    if "rate" in found and "executed" in found:
        found.remove("executed")
    if "initial_budget" in found and "budget" in found:
        found.remove("budget")
    if "initial_budget" in found and "carry_over_start" in found:
        found.remove("carry_over_start")
    if "rate" in found and "budget" in found:
        found.remove("budget")
    return found


def asked_unit(question: str) -> str | None:
    """The unit a question expects from its measure word: 几辆 → 辆, 多少人 → 人, 比例 → %."""
    q = compact(question)
    if any(w in q for w in ("比例", "比重", "占比", "百分", "执行率", "完成率", "增长率", "率是", "率多少", "率")) \
            or re.search(r"完成.{0,6}预算", q):
        return "%"
    if re.search(r"(?:几|多少)个?(?:百分)?点", q):
        return "%"  # "占几个点": percentage points, not a count of something
    if re.search(r"得分|分数|评分|打分", q):
        return "分"
    if re.search(r"满意度|满意率|覆盖率|合格率|达标率|办结率|到位率", q):
        return "%"  # a 自评表 indicator measured in percent
    if re.search(r"(?:多少|几)(?:名|个|位)?[\u4e00-\u9fff]{0,4}(?:人员|职工|员工|干部|人)", q):
        return "人"  # "有多少退休人员": people, not money
    m = re.search(r"(?:几|多少)(辆|人次|人|名|个|条|家|台|批次|次|件|户|项|场|套|篇)", q)
    if m:
        return m.group(1)
    m = re.search(r"(?:几|多少|多大)(?:个)?(平方米|平米|平方|亩|公顷|公里|千米|米|吨|立方米|立方)", q)
    if m:  # an area, a length, a weight: no amount of money answers it ("领导办公室多少平米" is not 办公费)
        return {"平米": "平方米", "平方": "平方米", "千米": "公里", "立方": "立方米"}.get(m.group(1), m.group(1))
    return None


def unit_fits(asked: str | None, unit: str) -> bool:
    if asked is None:
        return unit in _MONEY_UNITS or unit == ""
    if asked == "%":
        return unit == "%"
    if asked in ("人", "名"):
        return unit in ("人", "名")
    if asked == "个":
        return unit in _COUNT_UNITS
    # "台(套)" answers "几台"
    return unit == asked or unit == "万" + asked or unit.startswith((asked + "(", asked + "（"))


def strip_noise(question: str, *, department: str = "", year: int | None = None) -> str:
    """The question's content words: no department name, report year or question particles."""
    q = compact(question)
    if department:
        for alias in _department_aliases(department):
            q = q.replace(alias, "")
    if year:
        q = re.sub(rf"{year}年度?", "", q)
    q = q.replace("全年支出合计", "本年支出合计").replace("全年收入合计", "本年收入合计")
    bare = _QUESTION_NOISE.sub("", q)
    if bare in ("支出", "总支出", "支出总额", "支出合计"):
        return "本年支出合计"
    if bare in ("收入", "总收入", "收入总额", "收入合计"):
        return "本年收入合计"
    q = re.sub(r"^(局里|单位|本单位|我局|本部门|中心|我中心|该单位)", "", q)
    return _QUESTION_NOISE.sub("", q)


@lru_cache(maxsize=64)
def _department_aliases(department: str) -> tuple[str, ...]:
    aliases = {department}
    short = re.sub(r"^.*?[市县]", "", department)  # 武汉市汉阳区市场监督管理局 → 汉阳区市场监督管理局
    aliases.add(short)
    aliases.add(re.sub(r"^.*?区", "", department))
    for alias in list(aliases):
        if alias.endswith("监督管理局"):
            aliases.add(alias.replace("监督管理局", "监管局"))
    for alias in list(aliases):
        if "和" in alias:  # "规划与自然资源局": the report itself writes 与 for 和 now and then
            aliases.update(alias.replace("和", joiner) for joiner in ("与", "及"))
    return tuple(sorted((a for a in aliases if len(a) >= 3), key=len, reverse=True))


def common_substrings(a: str, b: str, minimum: int = 2) -> list[str]:
    """Maximal substrings of a (len ≥ minimum) that occur in b, greedily left to right, no overlap."""
    out = []
    i = 0
    while i < len(a):
        best = 0
        for j in range(len(a), i + minimum - 1, -1):
            if a[i:j] in b:
                best = j - i
                break
        if best >= minimum:
            out.append(a[i : i + best])
            i += best
        else:
            i += 1
    return out


def _overlap(name: str, q: str) -> int:
    """Characters of name covered by substrings (≥2) that also occur in the question."""
    return sum(len(s) for s in common_substrings(name, q) if s not in _GENERIC or len(name) <= 4)


def project_of(fact: Fact, facts: ReportFacts) -> str:
    return facts.projects.get(fact.table, "")


# --- ranking a stated figure for a question -----------------------------------------------------------------
#
# A figure stated in a sentence ("公务用车 0 辆", "机关运行经费支出 142.80 万元") or a text cell of a 自评表 is
# scored by the evidence below, each term one line of WEIGHTS. Table cells never come here: the plan reads them.
#
#   subject   characters of the question its subject clause covers (substrings of 2+, generic words only in a
#             short subject)                                                 — the main evidence
#   project   characters of a distinctive part (3+) of the project whose 自评表 states it
#   context   characters the subject leaves uncovered that the sentence's opening words and its section heading
#             cover — where it is said adds what the subject does not
#   tail      for a count, characters covered by the words right after it ("34家养老机构")
#   measure   +1 when the subject carries the measure asked (预算/执行率…), −1 when it carries only another,
#             −1 more when it is a 年初 figure and 年初 was not asked
#   narrower  characters of the subject's head noun (after its last 的, or after a 类›款›项 path) beyond
#             two that the question does not use (政府采购服务支出 ≠ 政府采购); modifiers before 的 narrow nothing
#   residual  question characters found nowhere in the figure's subject, sentence, heading or project
#
# A figure needs a subject (subject, project, tail or context evidence of 2+ characters) and a positive score.
WEIGHTS = {
    "subject": 2.2, "project": 3.0, "context": 0.7, "tail": 1.6,
    "measure_named": 6.0, "measure_missing": -4.0, "measure_other": -6.0, "initial_unasked": -6.0,
    "narrower": -0.8, "residual": -1.2,
}


@dataclass(frozen=True)
class Evidence:
    """How a stated figure answers a question, term by term (see WEIGHTS)."""

    subject: int = 0
    project: int = 0
    context: int = 0
    tail: int = 0
    measure: int = 0  # +1 named, -1 missing (asked but absent)
    measure_other: bool = False
    initial_unasked: bool = False
    narrower: int = 0
    residual: int = 0
    named: str = ""  # the words that matched the subject

    @property
    def score(self) -> float:
        w = WEIGHTS
        return (w["subject"] * self.subject + w["project"] * self.project + w["context"] * self.context
                + w["tail"] * self.tail
                + (w["measure_named"] if self.measure > 0 else w["measure_missing"] if self.measure < 0 else 0.0)
                + (w["measure_other"] if self.measure_other else 0.0) + (w["initial_unasked"] if self.initial_unasked else 0.0)
                + w["narrower"] * self.narrower + w["residual"] * self.residual)

    @property
    def names_subject(self) -> int:
        return max(self.subject, self.project, self.tail, 2 if self.context >= 4 else 0)


def evidence(fact: Fact, q: str, metrics: list[str], facts: ReportFacts) -> Evidence:
    """The evidence that stated figure `fact` answers question q (content words only)."""
    row = clean_label(fact.row)
    if facts.department:
        for alias in _department_aliases(facts.department):
            row = row.replace(alias, "")
    row = re.sub(r"^\d{4}年度?", "", row)
    quote = _unquoted(fact.quote)
    heading = clean_label(fact.table.split("›")[-1])
    project = project_of(fact, facts)
    project_parts = [s for s in common_substrings(project, q, minimum=3) if s not in _GENERIC] if project else []
    project_cover = max((len(s) for s in project_parts), default=0)
    subject = _overlap(row, q)
    named = _covered(q, [row])
    unnamed = "".join(c for i, c in enumerate(q) if i not in named)  # what the subject leaves for the context
    context = _overlap(_ORDINAL.sub("", heading), unnamed) + _overlap(_topic(quote), unnamed)
    tail_words = _tail(quote, fact) if fact.unit not in _MONEY_UNITS + ("%",) else ""
    tail = _overlap(tail_words, q)
    metric_row = _FUND.sub("", row)
    asked = [w for m in metrics for w in METRICS[m][0] if w in _FUND.sub("", q)]
    other = [w for m, (words, _) in METRICS.items() if m not in metrics and m != "actual" for w in words if w in metric_row]
    initial_unasked = "initial_budget" not in metrics and "年初" in metric_row
    measure = 0
    if asked and not initial_unasked:
        measure = 1 if any(w in metric_row for w in asked) else -1
    path = re.split(r"[(（][类款项][)）]", compact(fact.row))
    head = path[-1] if len(path) > 1 else row  # "A(类)B(款)C(项)年初预算": what follows the path
    core = _NOT_WORDS.sub("", re.sub(r"[(（][^()（）]*[)）]", "", head))  # "(以合同签订为准)": a gloss narrows nothing
    core = core.rpartition("的")[2]  # the head noun: "…开支财政拨款的公务用车保有量" → 公务用车保有量
    narrower = max(0, len(core) - len(_covered(core, [q])) - 2)
    residual_q = q
    if any(w in _FUND.sub("", row + quote) for m in metrics for w in METRICS[m][1]):
        for m in metrics:  # the measure words are accounted for by the sentence
            for w in sorted(METRICS[m][0], key=len, reverse=True):
                residual_q = residual_q.replace(w, "")
    residual = len(residual_q) - len(_covered(residual_q, [row, quote, compact(heading), project]))
    named = tail_words if tail > subject else row if subject >= 2 else project if project_cover else row
    return Evidence(subject=subject if subject >= 2 else 0, project=project_cover, context=context, tail=tail,
                    measure=measure, measure_other=bool(other and metrics), initial_unasked=initial_unasked,
                    narrower=narrower, residual=residual, named=named)


_NOT_WORDS = re.compile(r"[\d.,%]+|万元|年度|相比|^与")
_FUND = re.compile(r"(一般公共|政府性基金|国有资本经营)预算(财政拨款)?")


def _tail(quote: str, fact: Fact) -> str:
    """The words right after a count ('34家养老机构食品安全…' → '养老机构食品安全…')."""
    number = f"{fact.value:g}"
    idx = quote.find(number + fact.unit)
    if idx < 0:
        return ""
    rest = quote[idx + len(number) + len(fact.unit) :]
    return re.split(r"[,;:。、]", rest, maxsplit=1)[0][:20]


def _topic(quote: str) -> str:
    """A sentence's topic: its words before the first figure, less the clause that names that figure ("…提供相关
    信息全年发布活动资讯29条、通知通告18条": 发布活动资讯 is the 29's, not the sentence's)."""
    stripped = re.sub(r"^(\d{1,2}\.|\d{4}年度?)", "", quote)
    m = re.search(r"\d", stripped)
    if not m:
        return stripped
    before = stripped[: m.start()]
    cut = max(before.rfind(c) for c in ",，、;；:：")
    return before[:cut] if cut > 0 else before


_CONTEXT = re.compile(r"^(.{2,}?)(里|中|当中|之中|里面)[,:]?(.{2,})$")


def _cell_key(fact: Fact) -> tuple[str, str, str, str]:
    return (fact.table, clean_label(fact.row), compact(fact.column), fact.code)


@lru_cache(maxsize=100_000)
def _unquoted(text: str) -> str:
    """Compact text without quotation marks: “三公”经费 matches 三公经费."""
    return compact(text).translate(_QUOTES)


_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _covered(q: str, texts: list[str]) -> set[int]:
    """Positions of q inside substrings (≥ 2 chars) that occur in any of texts."""
    positions: set[int] = set()
    for text in texts:
        if not text:
            continue
        i = 0
        while i < len(q) - 1:
            j = len(q)
            while j > i + 1 and q[i:j] not in text:
                j -= 1
            if j > i + 1:
                positions.update(range(i, j))
                i = j
            else:
                i += 1
    return positions


def find(question: str, facts: ReportFacts, *, metrics: list[str] | None = None, unit: str | None = "auto") -> list[Match]:
    """Stated figures ranked for a question, best first; only those with evidence of naming its subject."""
    raw = compact(question)
    context = ""
    split = _CONTEXT.match(raw)
    if split and strip_noise(split.group(3)):
        # "公务接待里，一共接待了多少人次": the scope, then the subject.
        context = strip_noise(split.group(1), department=facts.department, year=facts.year)
        question = split.group(3)
    q = strip_noise(question, department=facts.department, year=facts.year)
    if not q:
        return []
    metrics = metric_of(question) if metrics is None else metrics
    asked = asked_unit(question) if unit == "auto" else unit
    matches = []
    wanted_pairs = _pairs(q)
    for fact, pairs in zip(facts.facts, facts.bigrams()):
        if fact.source != "text" or not (wanted_pairs & pairs) or not unit_fits(asked, fact.unit):
            continue  # a table cell (the plan's), or shares no two characters with the question
        found = evidence(fact, q, metrics, facts)
        score = found.score
        if context:
            score += 0.8 * len(_covered(context, [compact(fact.table), _unquoted(fact.quote)]))
        if found.names_subject < 2 or score <= 0:
            continue
        matches.append(Match(fact=fact, score=score, subject=found.named, subject_len=found.names_subject,
                             table=facts.table(fact.table)))
    if not matches and asked in _SPECIFIC_COUNTS:
        # "有几辆车": few figures carry that unit; rank them by the characters they share with the question.
        for fact in facts.facts:
            if fact.source == "text" and unit_fits(asked, fact.unit):
                shared = len(set(raw) & set(_unquoted(fact.quote)))
                if shared:
                    matches.append(Match(fact=fact, score=6.0 + shared, subject=fact.row, subject_len=2, table=facts.table(fact.table)))
    matches.sort(key=lambda m: (-m.score, m.fact.page or 0))
    return matches
