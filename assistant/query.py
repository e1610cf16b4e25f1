"""Question → Query: which rows (entities), which measure, what operation, over which scope and years.

`parse(question, schema)` reads one question on its own; `conversation.carry_over` then fills the slots it
left open from earlier turns. Nothing here computes a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.lookup import _department_aliases, asked_unit, common_substrings
from assistant.schema import FUND_PREFIX, MEASURES, ReportSchema
from index.normalize import compact, normalize

Operation = str  # value | share | difference | ratio | sum | rate | rank | filter | change | years | unsupported

# Words that name an operation (data, read by `_operation`).
_SHARE = re.compile(r"占.{0,30}?(比例|比重|百分比|百分之|多少|几成|%|份额)|占比|比重|所占|比例是")
_DIFFERENCE = re.compile(r"比.{0,40}?(多|少|高|低|增加|减少|超|节约)|相差|差额|差多少|差距|之差|相比.{0,6}(多|少)")
_SUM = re.compile(r"加起来|合计多少|合计是|一共|总共|之和|总和|相加|共计|加在一起|合起来")
_BOTH = re.compile(r"两者|二者|它们|这两[个项笔]?|两项|两个")
_EXTREME = re.compile(r"哪(个|一个|项|一项|类|些|几)|最(高|低|多|少|大|小)|排名|排序|前[三五十\d]")
# A change against last year, answered as the report states it ("比 2023 年度减少 0.15 万元，下降 27.78%"). The base
# may be last year by any name ("比上年", "较2023年", "与上年度相比", "同比"); with no base named, the change words
# themselves ask it ("下降了百分之几", "增幅多少") unless the question compares two figures of its own ("比年初").
CHANGE_BASE = re.compile(r"(?:比|较|与|和|同|相较于?|相比|对比)(?:上一?年度?|去年|上年同期|去年同期|20\d{2}年度?)(?:相比|比)?|同比")
_CHANGE = re.compile(CHANGE_BASE.pattern + r".{0,12}?(增加|减少|增长|下降|降低|上升|提高|变化|变动|多(?!少)|(?<!多)少|高|低)")
_CHANGE_WORDS = re.compile(r"(增加|减少|增长|下降|降低|上升|提高|变化|变动|[增减降])了?(多少|百分之|几个?百分点|几成|幅度|%)"
                           r"|增长率|增幅|降幅|减幅|涨幅|下降率|(增长|下降|变动|变化)(幅度|比例)|变动率|变化率")
_OWN_BASE = re.compile(r"[比较](?![例重率])")  # "比年初", "较预算": a base of the question's own (not 比例)
_CHANGE_PERCENT = re.compile(r"百分|%|率|幅|几成")  # "下降了百分之几", "增幅": the stated percent, not the amount
_PRIOR = re.compile(r"上年|去年|上一年|同比|较上年|与上年|比上年|增长率|增幅|变动|变化")
_YEARS = re.compile(r"哪一?年|两年|两个年度|各年|历年")
_FOLLOW_UP = re.compile(r"^(那么|那|其中|它的|它|其|这个|这项|该项|该|再|还有)|呢[?？。]?$")
_DRILL = re.compile(r"^其中")
_REFER = re.compile(r"^(它的?|其|这个|该项|该)")
# "一共支出了多少钱" / "总收入": the department's total (the words left once particles are gone).
_SPEND_TOTAL = re.compile(r"^(今年|本年|当年|全年)?(一共|总共|全部|总|共)?(支出|花|花费|开支|花掉)(总额|合计|总计)?$")
_INCOME_TOTAL = re.compile(r"^(今年|本年|当年|全年)?(一共|总共|全部|总|共)?(收入|收到)(总额|合计|总计)?$")
_RANK = re.compile(r"最(高|低|多|少|大|小)|排名|排序|排前|前[三五十]|前\d|第[二三四五六七八九十\d]+(高|低|多|少|大|小)|倒数第|排在?第")
_LOWEST = re.compile(r"最(低|少|小)|倒数|第[二三四五六七八九十\d]+(低|少|小)")
# "第二高", "倒数第三": the row at that place of the order.
_NTH = re.compile(r"第([二三四五六七八九十]|\d+)(?:高|低|多|少|大|小|名|位)?")
# "所有项目", "7个绩效自评项目", "各项目", "这几个项目", "项目里哪个": the projects as one group.
_ALL_PROJECTS = re.compile(r"(所有|全部|各个?|这\d*几?个|\d+个|[一二三四五六七八九十]+个|总体|整体|合在一起|合起来|哪个|哪一个|哪些|哪几个)(绩效自评)?项目|项目(里|中|当中|之中)?(哪|谁|总体|整体)")
# "哪一类", "哪个款": rows of one level of the 功能分类.
_LEVEL_ASKED = re.compile(r"哪(?:个|一个|一)?(类|款)|的(类|款)(?:是|有)")
_TOP = re.compile(r"前([三五十]|\d+)")
# A condition on a row's figure: a comparison word and a number ("低于95%", "是100%", "500万元以上"). The words
# are data: the longest first, so "未达到" is not "达到" and "不超过" is not "超过". An equality word (是/为/等于)
# counts only with its unit, so "是2024年" or "为1个" is no condition.
_COMPARISONS: dict[str, str] = {
    **dict.fromkeys(("未达到", "没有达到", "没达到", "未满", "不满", "低于", "不足", "少于", "小于", "不到", "未到"), "<"),
    **dict.fromkeys(("不超过", "不高于", "不大于", "不多于"), "<="),
    **dict.fromkeys(("不低于", "不少于", "不小于", "达到", "大于等于", "高于等于"), ">="),
    **dict.fromkeys(("超过", "高于", "大于", "多于", "超出"), ">"),
    **dict.fromkeys(("等于", "恰好", "正好", "刚好", "是", "为"), "="),
}
_AFTER = {"以上": ">=", "及以上": ">=", "或以上": ">=", "以下": "<=", "及以下": "<=", "或以下": "<=", "以内": "<="}
_NUMBER = r"(\d+(?:\.\d+)?)\s*(%|亿元|万元|元|亿|万)?"
_FILTER = re.compile(
    r"(" + "|".join(sorted(map(re.escape, _COMPARISONS), key=len, reverse=True)) + r")了?\s*" + _NUMBER + r"(?![\d.年月日个])"
    r"|" + _NUMBER + r"(" + "|".join(sorted(_AFTER, key=len, reverse=True)) + r")"
)
_EQUALS = ("等于", "恰好", "正好", "刚好", "是", "为")
# "有几个", "有哪些", "是哪些", "列出…": the rows asked for by count or by list.
_LIST = re.compile(r"哪些|哪几[个项类款]|有几[个项类款]|几个|多少个|多少项|列出|列举|数量")
# The rows a condition ranges over, named right after it ("执行率达到100%的项目", "低于95%的项级科目").
_ROWS_NAMED = re.compile(r"^的?.{0,6}?(项目|科目|[类款项](?!目))")
# A reason or a remedy asked about rows ("执行率低于90%的原因有哪些"): a passage, not a list of rows.
_NOT_ROWS = re.compile(r"原因|为什么|为何|怎么|如何|措施|问题|整改")
# Chinese numerals in a condition ("百分之九十五", "五百万元以上"), read as digits.
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"百分之([零一二两三四五六七八九十百千]+|百)|([零一二两三四五六七八九十百千]+)(?=亿|万|元)")
_FISCAL_SCOPE = re.compile(r"财政拨款")
_COMPLETION = re.compile(r"完成.{0,8}预算.{0,4}(百分之|百分比|%|比例|多少|几成)")
# "事业运行（项）", "教育（类）": the level a reader writes after a subject name, as the tables print it.
_LEVEL_MARK = re.compile(r"[(（](类|款|项)[)）]")
# Words that place a figure in a table or a time of year, or ask where it came from: no row of their own.
_TABLE_WORDS = re.compile(r"(?:部门)?整体(?:支出)?(?:绩效)?(?:自评表?)?|绩效自评表?|自评表|明细表|明细|决算表|这张表|表里|表中|到年底|到年末|年底|到\s*下年|哪来的|哪来|从哪里来|从哪来")
_FUND_WORDS = re.compile(r"(一般公共预算|政府性基金|国有资本经营)(预算)?|\(\s*\)")
# What joins a container to its part: "三公经费里公务接待费", "一般公共服务支出中的行政运行", "<项目>的<指标>".
_QUALIFIES = re.compile(r"\s*(的|中的|里的|当中的|之中的|下的|中|里|里面|当中|之中|下|项下|,)?\s*")
# "去年一共花了多少" asked of a report published the year after: the reader's last year is the report's year
# ("比去年", "较去年", "去年同期" compare with the year before it and stay).
_READERS_LAST_YEAR = re.compile(r"(?<![比较与和同])去年(?!同期|相比|比|的?同)")
# "A在B中所占比重", "A在B里的占比": the whole named before the share word.
_WHOLE_BEFORE = re.compile(r"在(.{2,30}?)(?:中|里|当中|之中|里面)的?所?(?:占|比重|比例)")
# Words around a row that say how money moved or how many rows were named, never which row: "给职工发的",
# "发放的", "截至年底", "这三项", "资金".
_PAYING_WORDS = re.compile(r"给.{0,6}?发(?:放)?的?|发放|安排了|安排的|安排|下达的?|发的|发了|支付的?|拨付的?|截至|截止|资金|"
                           r"这?[两二三四五六七八九十几\d]+(?:项|个|笔|类)(?:项目)?|这[两二三四五六七八九十几]")
# "合计占…", "这两项合计占…", "两者之和占…": a share whose part is a total of earlier figures.
_TOTAL_BACK = re.compile(r"^(这两项|这两个|这几项|两项|两者|二者|它们|以上|上述)?的?(合计|之和|总和|加起来|一共|总共|共计)")
_FUND_BEFORE = re.compile(r"(政府性基金|国有资本经营|一般公共)(?:预算)?$")
# "A是B的几倍", "A是B的多少倍", "A相当于B的几倍": a ratio of two figures of one kind.
_RATIO = re.compile(r"的(几|多少)倍|是.{1,30}?几倍|翻了几(倍|番)")
_PLACE = re.compile(r".+?(?:省|自治区|市|自治州|州|盟|区|县|旗)")
# Words that ask for a figure: an amount or a count ("多少", "几辆", "花了"), or also a share or a rate. One
# vocabulary for the router (a passage does not answer an amount), the follow-ups (an amount asked is not a
# share carried over) and the stated path.
ASKS_AMOUNT = re.compile(r"多少|几[个辆人条家台项次位名]|金额|数额|花了|支出了")
ASKS_FIGURE = re.compile(ASKS_AMOUNT.pattern + r"|比例|比重|占比|率是")
_NOISE = re.compile(r"请问|一下|是多少|有多少|多少钱|多少|是什么|呢|吗|啊|了|的|是|都|？|\?|。|,|，|!|！|“|”|\"")


@dataclass(frozen=True)
class Mention:
    """A span of the question that names a row: the alias and every entity it may be."""

    text: str
    start: int
    keys: tuple[str, ...]
    after_share_word: bool = False  # named after 占 (the whole of a share)


@dataclass(frozen=True)
class Query:
    """A question as a plan: subjects, measures, operation, scope, years, and the slots left open."""

    question: str
    subjects: tuple[Mention, ...] = ()
    measures: tuple[str, ...] = ()  # measure ids in the order named; () = open
    operation: Operation = "value"
    scope: str = ""  # "fiscal" when the question names 财政拨款
    denominator: Mention | None = None  # the whole of a share, when named
    whole_measure: str = ""  # the whole's measure, when named after 占 ("占基本支出的比重")
    asked_unit: str = ""  # the unit the question's wording expects (几辆 → 辆, 比例 → %)
    years: tuple[int, ...] = ()
    direction: str = ""  # 多 / 少 for a difference
    follow_up: bool = False  # reads as leaning on an earlier turn ("那…呢", "其中…", "它…", or very short)
    follow_form: bool = False  # worded as a follow-up ("那…呢", "其中…"), not just short
    drill_down: bool = False  # "其中X": X is a part of the last subject
    refers_back: str = ""  # "both" (两者) or "it" (它)
    group: tuple[str, ...] = ()  # the rows a rank, total or filter ranges over ("所有项目", "三公经费中哪项")
    group_name: str = ""  # how the answer names that group
    extreme: str = ""  # "max" / "min" for a rank
    limit: int = 0  # "前三": how many of the ranked rows the question asks for
    position: int = 0  # "第二高": the place asked for (1 = the top)
    leftover: str = ""  # content words the plan did not account for
    carried: tuple[str, ...] = field(default=())  # slots filled from the conversation

    @property
    def open_slots(self) -> tuple[str, ...]:
        out = []
        if not self.subjects:
            out.append("subject")
        if not self.measures:
            out.append("measure")
        return tuple(out)

    def with_(self, **changes) -> "Query":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "subjects": [{"text": m.text, "keys": list(m.keys)} for m in self.subjects],
            "measures": list(self.measures),
            "operation": self.operation,
            "scope": self.scope,
            "denominator": {"text": self.denominator.text, "keys": list(self.denominator.keys)} if self.denominator else None,
            "years": list(self.years),
            "open": list(self.open_slots),
            "carried": list(self.carried),
            "leftover": self.leftover,
            "group": self.group_name,
            "extreme": self.extreme,
        }


def parse(question: str, schema: ReportSchema) -> Query:
    """One question, on its own, as a Query against the report's schema."""
    q = _last_year_as_base(compact(normalize(question or "")), schema.year)
    years = tuple(sorted({int(y) for y in re.findall(r"(20\d{2})\s*年", q)}))
    text = re.sub(r"20\d{2}\s*年度?", "", q)
    if schema.department:
        for alias in _department_aliases(schema.department):
            text = text.replace(alias, "")
        text = text.replace(_abbreviation(text, schema.department), "", 1) if _abbreviation(text, schema.department) else text
        for place in place_names(schema.department):
            text = text.replace(place, "")
    text = text.replace("收、支", "收支")  # "收、支总计", as the reports write the balanced total
    levels = {m.start(): m.group(1) for m in _LEVEL_MARK.finditer(text)}
    text = _LEVEL_MARK.sub(lambda m: " " * len(m.group()), text)  # positions kept: a mark narrows the row before it
    text = re.sub(r"^(局里|单位|本单位|我局|本部门|中心|我中心|该单位)", "", text)
    text = _READERS_LAST_YEAR.sub("", text)
    follow_form = bool(_FOLLOW_UP.search(text))
    follow_up = follow_form or len(_NOISE.sub("", text)) <= 6
    drill = bool(_DRILL.match(text))
    refer = "both" if _BOTH.search(text) else "it" if _REFER.match(text) else ""
    share_at = _share_position(text)
    measure_spans = _measure_spans(text, schema)
    mentions, _ = _mentions(text, schema, share_at, measure_spans)
    mentions = [_at_level(m, levels, schema) for m in mentions]
    mentions = _totals_as_columns(text, mentions, schema)
    if len([m for m in mentions if not m.after_share_word]) > 1:
        # '年初结转和结余', '事业收入', '预算执行率' are rows and measure words: beside another row, the measure
        # (the whole of a share is not beside it: '事业收入在本年收入中占多大比重').
        words = {text[s:e] for s, _, e in measure_spans}
        mentions = [m for m in mentions if m.text not in words] or mentions
    mentions = _fund_total(text, mentions, measure_spans, schema)
    rest = _blank(text, mentions)
    measures, rest = _measures(rest, schema)
    if _ALL_PROJECTS.search(text) or _RANK.search(text) or is_filter(text):
        # "这7个项目总体预算执行率", "哪个项目执行率最低", "预算执行率达到100%的项目": over a group, a measure word
        # names the measure, not the one row of the same name (整体绩效's 预算执行率).
        named = {text[s:e]: m for s, m, e in measure_spans}
        measures = list(dict.fromkeys([named[m.text] for m in mentions if m.text in named] + measures))
        mentions = [m for m in mentions if m.text not in named]
    whole_measures = tuple(dict.fromkeys(m for start, m, _ in sorted(measure_spans) if 0 <= share_at <= start and m in measures))
    scope = "fiscal" if _FISCAL_SCOPE.search(text) and not any("财政拨款" in m.text for m in mentions) else ""
    if not scope and "收入" in _blank(text, mentions) and mentions and all(
            schema.entities[k].family == "functional" for m in mentions for k in m.keys):
        scope = "income"  # "彩票公益金收入": the 收入决算表's row, not the 支出决算表's
    operation = _operation(_blank(text, mentions), mentions, measures, refer)  # "三公经费变动率" names a row, no change
    denominator = None
    if operation == "share":
        wholes = [m for m in mentions if m.after_share_word]
        if wholes:
            denominator = wholes[0]
            mentions = [m for m in mentions if not m.after_share_word]
    if not mentions and measures in ([], ["actual"]) and operation in ("value", "share"):
        bare = _NOISE.sub("", text)
        bare = bare.replace("钱", "")
        if _SPEND_TOTAL.match(bare):
            mentions = [Mention("支出", 0, ("本年支出合计",))] if "本年支出合计" in schema.entities else []
            rest = ""
        elif _INCOME_TOTAL.match(bare):
            mentions = [Mention("收入", 0, ("本年收入合计",))] if "本年收入合计" in schema.entities else []
            rest = ""
    direction = ""
    m = _DIFFERENCE.search(text)
    if m:
        word = m.group(1) or ""
        direction = "少" if word in ("少", "低", "减少", "节约") else "多"
    leftover = _NOISE.sub("", rest)
    leftover = _TABLE_WORDS.sub("", leftover)
    if mentions:
        leftover = _FUND_WORDS.sub("", leftover)  # "政府性基金（彩票公益金）支出": the fund glosses the row named
    leftover = _PAYING_WORDS.sub("", leftover)
    if scope == "income":
        leftover = leftover.replace("收入", "")
    if scope == "fiscal":
        leftover = leftover.replace("财政拨款", "")  # the scope the question names, read as the scope
    leftover = re.sub(r"\s+|(几倍|多少倍|倍|相当于|那个|这个|那些|这些|还有|还|所占|多大|百分之|百分比|项目|其中|那么|那|它|其|这个|该项|该|两者|二者|它们|合计|加起来|一共|总共|比例|在|比重|占|多|少|相差|差额|比|和|与|及|、|实际|支出|花|钱|万元|元|百分之几|百分比|几成|科目|这一项|这项|项|类|款|有|是|多大|百分之多少|里|中|当中|情况|金额|数|总额|年度|本年|全年|今年|去年|上|当年|完成|预算|执行|率)", "", leftover)
    mentions = _within_containers(mentions, schema, text)
    mentions = _unique(mentions)
    if len(mentions) == 1 and len(leftover) >= 2 and all(schema.entities[k].family == "project" for k in mentions[0].keys):
        indicator = _indicator_by_words(mentions[0], leftover, schema)  # "政府购岗购买了几个岗位"
        if indicator is not None:
            mentions, leftover = [indicator], ""
    if operation == "difference" and len(mentions) == 1 and len(leftover) >= 2:
        other = _elliptic_row(mentions[0], leftover, schema)  # "年末结转和结余比年初少了多少"
        if other is not None:
            mentions, leftover = mentions + [other], ""
    funds = [m for m in measures if m.startswith(FUND_PREFIX)]
    if funds and len(funds) < len(measures):
        # "一般公共预算财政拨款全年预算数": the fund names the scope, the other word the measure.
        measures = [m for m in measures if m not in funds]
        scope = "fiscal" if any("财政拨款" in f for f in funds) else scope
    if operation == "share" and whole_measures:
        plain = [m for m in whole_measures if not m.startswith(FUND_PREFIX)]
        whole_measures = tuple(plain) or whole_measures
        measures = [m for m in measures if m not in whole_measures] + list(whole_measures)
        if not [m for m in measures if m not in whole_measures]:
            # "它占城乡社区支出项目支出的比例": a part with no measure of its own is read in the whole's column
            measures = [whole_measures[0] if denominator is not None else "actual"] + list(whole_measures)
    if operation == "share" and _TOTAL_BACK.match(text):
        # "合计占项目支出的比例", "这两项合计占…": the total of earlier figures is the part
        refer = "total"
        mentions = [m for m in mentions if m.after_share_word]
    if refer == "both" and len(_unique(mentions)) >= 2:
        refer = ""  # "A、B这两项合计", "A和B两个项目": the rows named, not two earlier answers
    group, group_name = (), ""
    if operation in ("rank", "filter") or (operation in ("sum", "rate") and _ALL_PROJECTS.search(text)):
        group, group_name, mentions = _group(text, mentions, schema, operation)
        if group and operation in ("sum", "rate") and not _ALL_PROJECTS.search(text):
            group, group_name = (), ""
    return Query(
        question=question, subjects=tuple(_unique(mentions)), measures=tuple(measures), operation=operation, scope=scope,
        whole_measure=whole_measures[0] if operation == "share" and whole_measures else "",
        asked_unit=asked_unit(text) or ("%" if operation == "change" and asks_percent_change(text) else ""),
        denominator=denominator, years=years, direction=direction, follow_up=follow_up, drill_down=drill,
        follow_form=follow_form,
        refers_back=refer, leftover=leftover, group=group, group_name=group_name,
        extreme=("min" if _LOWEST.search(text) else "max") if operation == "rank" else "",
        limit=_limit(text) if operation == "rank" else 0,
        position=_position(_blank(text, mentions)) if operation == "rank" else 0,  # not "第二砖瓦厂"
    )


def place_names(department: str) -> tuple[str, ...]:
    """The places in a department's name, alone and joined: 上海市普陀区规划和自然资源局 → 上海市普陀区, 上海市,
    普陀区. A question may name the department by its district ("普陀区规划资源局") and that names no row."""
    places: list[str] = []
    rest = department
    while True:
        m = _PLACE.match(rest)
        if not m or len(m.group()) > 8 or len(m.group()) < 2:
            break
        places.append(m.group())
        rest = rest[m.end():]
    joined = ["".join(places[:i]) for i in range(len(places), 1, -1)]
    bare = [p[:-1] for p in places if p[-1] in "市区县" and len(p) >= 3]  # "普陀规划资源局", "汉阳区…" said as "汉阳…"
    return tuple(joined + sorted(places, key=len, reverse=True) + bare)


_COUNT_WORDS = re.compile(r"几[个位名人条家台项次辆件场套]?|多少[个位名人条家台项次辆件场套]?|人次|数量")


def _indicator_by_words(project: Mention, leftover: str, schema: ReportSchema) -> Mention | None:
    """'<项目>购买了几个岗位' → its indicator '购买岗位人员数量': of the project's 自评表 rows, the one whose label
    covers at least half of the words the question has left (and more of them than any other row)."""
    words = _COUNT_WORDS.sub("", leftover)
    if len(words) < 2:
        return None
    scored = sorted(
        ((sum(len(p) for p in common_substrings(words, schema.entities[child].label)), child)
         for key in project.keys for child in schema.entities[key].children),
        reverse=True,
    )
    if not scored or scored[0][0] * 2 < len(words) or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return Mention(project.text, project.start, (scored[0][1],))


def _elliptic_row(named: Mention, word: str, schema: ReportSchema) -> Mention | None:
    """'年末结转和结余比年初…': a comparison that names the second row by the word that differs (年初 for 年末),
    the rest of the name understood from the first. The row must exist under that name."""
    for key in named.keys:
        label = schema.entities[key].label
        if len(label) > len(word):
            guess = word + label[len(word):]
            keys = tuple(k for k, e in schema.entities.items() if e.label == guess and k != key)
            if keys:
                return Mention(word, -1, keys)
    return None


def _position(text: str) -> int:
    """'第二高' → 2, '倒数第三' → 3 (counted from the low end: see _LOWEST); 0 when no place is named."""
    m = _NTH.search(text)
    if not m:
        return 0
    word = m.group(1)
    return int(word) if word.isdigit() else "一二三四五六七八九十".index(word) + 1


def _limit(text: str) -> int:
    """'前三', '前5': how many ranked rows are asked for (0: the top one, with the whole order)."""
    m = _TOP.search(text)
    if not m:
        return 0
    word = m.group(1)
    return int(word) if word.isdigit() else "一二三四五六七八九十".index(word) + 1


def _group(text: str, mentions: list[Mention], schema: ReportSchema, operation: Operation) -> tuple[tuple[str, ...], str, list[Mention]]:
    """The rows a rank, a filter or a total over "all projects" ranges over, its name, and the mentions left.

    The projects ("哪个项目", "所有项目"); the parts of a row named as a container ("三公经费中哪项最多",
    "工资福利支出里哪一项最大"); the rows named ("A、B、C哪个最多"); the 类 or 款 asked for ("哪一类支出最多"); else the 类 of the spending."""
    entities = schema.entities
    if operation == "filter":
        return _filter_group(text, mentions, schema)
    if _ALL_PROJECTS.search(text) or ("项目" in text and not mentions):
        keys = tuple(k for k, e in entities.items() if e.family == "project")
        if keys:
            return keys, "项目", [m for m in mentions if not all(entities[k].family == "project" for k in m.keys)]
    if len(mentions) >= 2 and operation == "rank":  # "住房保障支出、卫生健康支出哪个多": the rows named
        return tuple(m.keys[0] for m in mentions), "所列", []
    containers = [m for m in mentions if len(m.keys) == 1 and entities[m.keys[0]].children]
    if containers and operation == "rank":
        parent = containers[0]
        keys = tuple(entities[parent.keys[0]].children)
        if all(entities[k].family == "economic" and len(entities[k].code) == 3 for k in keys):
            # "公用经费明细里哪一项最多": 公用经费 › 302 › 30201…; its items are the rows under its classes
            keys = tuple(k for c in keys for k in (entities[c].children or [c]))
        return keys, entities[parent.keys[0]].label, [m for m in mentions if m is not parent]
    if "经济分类" in text:  # "基本支出里哪一项经济分类最多": the 经济分类 classes (301, 302, …)
        keys = tuple(k for k, e in entities.items() if e.family == "economic" and len(e.code) == 3)
        if keys:
            return keys, "经济分类", mentions
    level = _LEVEL_ASKED.search(text)
    size = 5 if level and "款" in level.group() else 3
    keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == size)
    return keys, "类" if size == 3 else "款", mentions


# The rows a filter names: 项目 (not 项目支出, a measure); a 功能分类 level ("项级科目", "哪些款", "的类"; not 拨款,
# 分类, 款项, 几项 as a count); the 经济分类.
_PROJECT_WORD = re.compile(r"项目(?!支出)")
_LEVEL_WORD = re.compile(r"(?<![分拨贷罚存付借欠种门])([类款])(?!项)|(?<![一几事每某单])(项)|([类款项])级")
_ECONOMIC_WORD = re.compile(r"经济分类|经济科目")
_LEVEL_SIZE = {"类": 3, "款": 5, "项": 7}


def _filter_group(text: str, mentions: list[Mention], schema: ReportSchema) -> tuple[tuple[str, ...], str, list[Mention]]:
    """The rows a condition is checked on, as the words name them: the projects; the 类/款/项 of the 功能分类
    (under a row named as their container, if any: "城乡社区支出中超过1000万元的项"); the 经济分类 classes (or
    items, "经济分类款"); the parts of a row named ("工资福利支出里超过100万元的有哪些"). Named by nothing, the
    rows that state the measure asked: projects, else the lowest level with it (a rate), else the 类."""
    entities = schema.entities
    words = _blank(text, mentions)
    if _PROJECT_WORD.search(words):
        keys = tuple(k for k, e in entities.items() if e.family == "project")
        return keys, "项目", [m for m in mentions if not all(entities[k].family == "project" for k in m.keys)]
    level = _LEVEL_WORD.search(_PROJECT_WORD.sub("", words).replace("项目支出", ""))
    level_word = next((g for g in level.groups() if g), "") if level else ""
    size = _LEVEL_SIZE.get(level_word, 0)
    containers = [m for m in mentions if len(m.keys) == 1 and entities[m.keys[0]].children]
    if _ECONOMIC_WORD.search(words):
        size = 5 if size == 5 or size == 7 else 3
        keys = tuple(k for k, e in entities.items() if e.family == "economic" and len(e.code) == size)
        return keys, "经济分类" + ("款级科目" if size == 5 else "科目"), mentions
    if containers:
        parent = containers[0].keys[0]
        below = schema.descendants(parent)
        keys = tuple(k for k in below if len(entities[k].code) == size) if size else tuple(entities[parent].children)
        if keys:
            name = f"{entities[parent].label}下的" + (f"{level_word}级科目" if size else "科目")
            return keys, name, [m for m in mentions if m is not containers[0]]
    if size:
        keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == size)
        return keys, f"{level_word}级科目", mentions
    measure = (_measures(words, schema)[0] or [""])[0]
    if measure == "rate" or (not measure and (condition(text) or ("", 0, ""))[2] == "%"):
        projects = tuple(k for k, e in entities.items() if e.family == "project" and (k, "rate") in schema.cells)
        if projects:
            return projects, "项目", mentions
        for size, name in ((7, "项"), (5, "款"), (3, "类")):
            keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == size)
            if any((k, "rate") in schema.cells for k in keys):
                return keys, f"{name}级科目", mentions
    keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == 3)
    return keys, "类级科目", mentions


_FUND_TABLES = {"政府性基金": "政府性基金预算财政拨款支出", "国有资本经营": "国有资本经营预算财政拨款支出"}


def _fund_total(text: str, mentions: list[Mention], measure_spans, schema: ReportSchema) -> list[Mention]:
    """'政府性基金预算年初结转和结余多少': a fund named with only a measure (here a 总表 row that is one) is the
    fund table's total row; the measure word then stays a measure."""
    fund = re.search(f"({'|'.join(_FUND_TABLES)})(预算)?", text)
    key = _FUND_TABLES[fund.group(1)] if fund else ""
    if not key or key not in schema.entities:
        return mentions
    words = {text[s:e] for s, _, e in measure_spans}
    if all(m.text in words or m.text in fund.group() for m in mentions):  # the fund's words blank "预算" too
        return [Mention(fund.group(), fund.start(), (key,))]
    return mentions


def _totals_as_columns(text: str, mentions: list[Mention], schema: ReportSchema) -> list[Mention]:
    """'城乡社区管理事务的本年支出合计': a table total named right after a row is that row's 合计 column, not a
    second row (it becomes the measure the row is read in: 决算数)."""
    out = []
    for i, m in enumerate(mentions):
        before = mentions[i - 1] if i else None
        joint = text[before.start + len(before.text) : m.start] if before else ""
        if before and all(schema.entities[k].family == "total" for k in m.keys) and re.fullmatch(r"\s*的?\s*", joint) \
                and not all(schema.entities[k].family == "total" for k in before.keys):
            continue
        out.append(m)
    return out


def _at_level(mention: Mention, levels: dict[int, str], schema: ReportSchema) -> Mention:
    """'城乡社区规划与管理（项）': of the rows a name may be, the one at the level written after it."""
    level = levels.get(mention.start + len(mention.text))
    if not level:
        return mention
    keys = tuple(k for k in mention.keys if schema.entities[k].level == level)
    return replace(mention, keys=keys) if keys else mention


def _share_position(text: str) -> int:
    """Where the whole of a share starts ('A占B的比例': after 占; 'A在B中所占比重': after 在), or -1."""
    inside = _WHOLE_BEFORE.search(text)
    if inside:
        return inside.start(1)
    m = re.search(r"占(?!比)", text)
    return m.end() if m and _SHARE.search(text) else -1


def _within_containers(mentions: list[Mention], schema: ReportSchema, text: str) -> list[Mention]:
    """'<项目>的<绩效指标>', '三公经费里公务接待费', '一般公共服务支出中的行政运行': a row named right before
    another that it contains qualifies it; it narrows the part to the readings under it and names no subject
    of its own. Joined by 比/和/与 instead ("行政运行比一般公共服务支出少多少"), the two are compared."""
    out = list(mentions)
    for container in mentions:
        below = {k for key in container.keys for k in schema.descendants(key)}
        for i, other in enumerate(out):
            inside = tuple(k for k in other.keys if k in below)
            same = set(other.keys) & set(container.keys)  # one row named twice ("21208城乡社区规划与管理")
            joint = text[container.start + len(container.text) : other.start]
            if other is not container and inside and not same and container.start < other.start and _QUALIFIES.fullmatch(joint):
                out[i] = Mention(other.text, other.start, inside, other.after_share_word)
                out = [m for m in out if m is not container]
                break
    return out


def _unique(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if all(o.keys != m.keys for o in out):
            out.append(m)
    return out


def _blank(text: str, mentions: list[Mention]) -> str:
    for m in mentions:
        text = text[: m.start] + " " * len(m.text) + text[m.start + len(m.text) :]
    return text


def _measure_spans(text: str, schema: ReportSchema) -> list[tuple[int, str, int]]:
    """(start, measure, end) of each measure word, to keep a row's alias from cutting into one ('项目支出合计')."""
    spans = []
    funds = {mid for (_, mid) in schema.cells if mid.startswith(FUND_PREFIX)}
    pairs = [(w, m.id) for m in MEASURES for w in m.question_words] + [(f.removeprefix(FUND_PREFIX), f) for f in funds]
    for word, mid in pairs:
        if word:
            for m in re.finditer(re.escape(word), text):
                spans.append((m.start(), mid, m.end()))
    return spans


def _mentions(text: str, schema: ReportSchema, share_at: int, measure_spans=()) -> tuple[list[Mention], str]:
    """Rows named in the text, longest alias first, without overlaps; and the text left over.

    An alias that starts inside a measure word ('支出合计' in '项目支出合计') is not a mention; one that ends
    inside it shares a word with it ('其他支出' in '其他支出决算数') and is."""
    taken = [False] * len(text)
    found: list[Mention] = []
    for alias, keys in schema.alias_index:
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            digits = alias.isdigit()
            bounded = not digits or ((start == 0 or not text[start - 1].isdigit()) and (end == len(text) or not text[end].isdigit()))
            cuts = any(s < start < e < end for s, _, e in measure_spans)  # starts inside a measure word
            fund = _FUND_BEFORE.search(text[:start])
            if fund and not any(fund.group(1) in schema.entities[k].label for k in keys):
                cuts = True  # "国有资本经营预算财政拨款支出": "财政拨款支出" here is not the 一般公共预算 total
            if bounded and not cuts and not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                found.append(Mention(alias, start, keys, after_share_word=0 <= share_at <= start))
            start = text.find(alias, start + 1)
    found.sort(key=lambda m: m.start)
    rest = "".join(" " if t else c for c, t in zip(text, taken))
    return found, rest


def _measures(text: str, schema: ReportSchema) -> tuple[list[str], str]:
    """Measures named in the text (fund columns by their printed name), in the order named."""
    words = [(w, m.id) for m in MEASURES for w in m.question_words]
    funds = {mid for (_, mid) in schema.cells if mid.startswith(FUND_PREFIX)}
    words += [(f.removeprefix(FUND_PREFIX), f) for f in funds]
    if not funds:  # a report without fund columns: "一般公共预算" still names a fund, never a budget column
        text = re.sub(r"(一般公共|政府性基金|国有资本经营)预算(?!财政拨款)", "", text)
    found: list[tuple[int, str]] = []
    for word, mid in sorted(words, key=lambda p: -len(p[0])):
        start = text.find(word)
        if start < 0:
            continue
        if mid == "budget" and (re.search(r"(一般公共|政府性基金|国有资本经营)预算财政拨款", text[max(0, start - 4) : start + 6])
                                or re.search(r"(一般公共|政府性基金|国有资本经营)\s*$", text[:start])):
            continue  # 一般公共预算财政拨款, 政府性基金预算 name a fund, not a budget
        found.append((start, mid))
        text = text[:start] + " " * len(word) + text[start + len(word) :]
    ordered: list[str] = []
    for _, mid in sorted(found):
        if mid not in ordered:
            ordered.append(mid)
    return ordered, text


def is_filter(text: str) -> bool:
    """'执行率低于90%的项目有哪些', '预算执行率达到100%的项目', '哪些款支出超过500万元': rows by a condition, counted
    or listed (a plan, not a passage)."""
    text = compact(text)
    found = _RANGE.search(_arabic(text)) or _condition_match(text)
    if found is None or _NOT_ROWS.search(text):
        return False
    return bool(_LIST.search(text) or _ROWS_NAMED.search(text[found.end():]))


# "在90%到95%之间", "80%-95%", "100万元至500万元": a range, both ends included.
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(%|万元|元|亿元)?\s*(?:到|至|-|~|～|—)\s*(\d+(?:\.\d+)?)\s*(%|万元|元|亿元)?\s*(?:之间|以内|区间)?")


def range_condition(text: str) -> tuple[float, float, str] | None:
    """'执行率在90%到95%之间' → (90.0, 95.0, '%'); None without a range."""
    m = _RANGE.search(_arabic(compact(text)))
    if not m or not (m.group(2) or m.group(4)):
        return None
    low, high = sorted((float(m.group(1)), float(m.group(3))))
    return low, high, m.group(4) or m.group(2)


def computes(text: str) -> bool:
    """'A是B的几倍': arithmetic on figures, a plan (not a passage), whatever else the words suggest."""
    return bool(_RATIO.search(text))


def lists_rows(text: str) -> bool:
    """'执行率低于90%的项目有哪些', '支出最多的前三个类是哪些': rows by a condition or by rank, a plan's list
    (not a passage, though it asks 哪些)."""
    return is_filter(text) or (bool(_RANK.search(text)) and bool(re.search(r"科目|项目|类|款|哪", text)))


def condition(text: str) -> tuple[str, float, str] | None:
    """'执行率低于90%' → ('<', 90.0, '%'); '100万元以上' → ('>=', 100.0, '万元'); '是100%' → ('=', 100.0, '%');
    '不到五百万' → ('<', 500.0, '万元')."""
    m = _condition_match(compact(text))
    if m is None:
        return None
    if m.group(1):
        op, number, unit = _COMPARISONS[m.group(1)], float(m.group(2)), m.group(3) or ""
    else:
        number, unit, op = float(m.group(4)), m.group(5) or "", _AFTER[m.group(6)]
    return op, number, {"万": "万元", "亿": "亿元"}.get(unit, unit)


def _condition_match(text: str) -> re.Match | None:
    """The first comparison with a number; an equality word only with its unit ('是100%', not '是2个')."""
    for m in _FILTER.finditer(_arabic(text)):
        if m.group(1) in _EQUALS and not m.group(3):
            continue
        return m
    return None


def _arabic(text: str) -> str:
    """'百分之九十五' → '95%', '五百万元' → '500万元' (the same length is not kept: match on the result only)."""
    def number(m: re.Match) -> str:
        if m.group(1) is not None:
            return f"{_cn_value(m.group(1)) if m.group(1) != '百' else 100}%"
        return str(_cn_value(m.group(2)))
    return _CN_NUMBER.sub(number, text)


def _cn_value(word: str) -> int:
    """A Chinese numeral below 10000: '九十五' → 95, '五百' → 500, '十' → 10."""
    total, digit = 0, 0
    for ch in word:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def asks_change(text: str) -> bool:
    """Whether a question asks the change against last year: '比上年少了多少', '较2023年下降了百分之几', '增幅多少'."""
    text = compact(text)
    return bool(_CHANGE.search(text) or (_CHANGE_WORDS.search(text) and not _OWN_BASE.search(CHANGE_BASE.sub("", text))))


def asks_percent_change(text: str) -> bool:
    """Whether a change question asks the stated percent ('增幅', '下降了百分之几') rather than the amount."""
    return asks_change(text) and bool(_CHANGE_PERCENT.search(text))


def _last_year_as_base(text: str, year: int | None) -> str:
    """'较2023年下降了多少' in the 2024 report compares with last year: the year is the change's base, not a year
    asked about ("2023年的三公经费" still asks 2023)."""
    if not year:
        return text
    return re.sub(rf"(比|较|与|和|同|相较于?|相比|对比){year - 1}年度?", r"\1上年", text)


def _operation(text: str, mentions: list[Mention], measures: list[str], refer: str) -> Operation:
    if is_filter(text):
        return "filter"
    if _YEARS.search(text):
        return "years"
    if asks_change(text):
        return "change"  # answered as the report states the change ("比 2023 年度减少 0.15 万元")
    if _PRIOR.search(text):
        return "unsupported"  # changes against last year are answered as the report states them
    if _RANK.search(text):
        return "rank"
    if _EXTREME.search(text) and "几" not in text[:2]:
        return "unsupported"
    if _RATIO.search(text):
        return "ratio"
    if _SHARE.search(text):
        return "share"
    if _DIFFERENCE.search(text):
        return "difference"
    if _SUM.search(text) and (len(mentions) >= 2 or refer == "both"):
        return "sum"
    if refer == "both" and re.search(r"合计|一共|加|总", text):
        return "sum"
    if "rate" in measures or _COMPLETION.search(text):
        return "rate"
    if _ALL_PROJECTS.search(text) and _SUM.search(text):
        return "sum"
    return "value"


def _abbreviation(text: str, department: str) -> str:
    """The words naming the department in short: 规划资源局 → 规划和自然资源局 (same first and last character,
    its characters in order)."""
    return abbreviation_of(text, min(_department_aliases(department), key=len, default=""))


def abbreviation_of(text: str, core: str) -> str:
    """The piece of text that abbreviates a name: its characters in order, starting and ending like it."""
    if len(core) < 3:
        return ""
    for size in range(min(len(core), 8), 2, -1):
        for i in range(len(text) - size + 1):
            piece = text[i : i + size]
            if piece[0] == core[0] and piece[-1] == core[-1] and _subsequence(piece, core):
                return piece
    return ""


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)
