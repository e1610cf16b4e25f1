"""The question vocabulary: the words that name an operation, a scope, a place, a level or nothing at all.

Data for `assistant/query.py` (which reads a question with them) and for the router and follow-ups (which
ask whether a question wants a figure). One table per class of wording; each names the questions it serves.
"""

from __future__ import annotations

import re

# Words that name an operation (data, read by `_operation`).
SHARE = re.compile(r"占.{0,30}?(比例|比重|百分比|百分之|百分点|多少|几成|%|份额|几个点)|占比|比重|所占|比例是")
DIFFERENCE = re.compile(r"比.{0,40}?(多|少|高|低|增加|减少|超|节约)|相差|差额|差.{0,2}多少|差距|之差|相比.{0,6}(多|少)")
SUM = re.compile(r"加起来|连同|合计多少|合计是|一共|总共|之和|总和|相加|共计|加在一起|合起来|加总|汇总|加一块|加一起|加到一起")
BOTH = re.compile(r"两者|二者|它们|这两[个项笔]?|两项|两个|这俩|俩")
EXTREME = re.compile(r"哪(个|一个|项|一项|类|些|几)|最(高|低|多|少|大|小)|排名|排序|前[三五十\d]")
# A change against last year, answered as the report states it ("比 2023 年度减少 0.15 万元，下降 27.78%"). The base
# may be last year by any name ("比上年", "较2023年", "与上年度相比", "同比"); with no base named, the change words
# themselves ask it ("下降了百分之几", "增幅多少") unless the question compares two figures of its own ("比年初").
CHANGE_BASE = re.compile(r"(?:比|较|与|和|同|相较于?|相比|对比)(?:上一?年度?|去年|上年同期|去年同期|20\d{2}年度?)(?:相比|比)?|同比")
CHANGE = re.compile(CHANGE_BASE.pattern + r".{0,12}?(增加|减少|增长|下降|降低|上升|提高|变化|变动|多(?!少)|(?<!多)少|高|低)")
CHANGE_WORDS = re.compile(r"(增加|减少|增长|下降|降低|上升|提高|变化|变动|[增减降])了?(多少|百分之|几个?百分点|几成|幅度|%)"
                           r"|增长率|增幅|降幅|减幅|涨幅|下降率|(增长|下降|变动|变化)(幅度|比例)|变动率|变化率")
OWN_BASE = re.compile(r"[比较](?![例重率])")  # "比年初", "较预算": a base of the question's own (not 比例)
CHANGE_PERCENT = re.compile(r"百分|%|率|幅|几成")  # "下降了百分之几", "增幅": the stated percent, not the amount
PRIOR = re.compile(r"上年|去年|上一年|同比|较上年|与上年|比上年|增长率|增幅|变动|变化")
YEARS = re.compile(r"哪一?年|两年|两个年度|各年|历年")
# A question that starts by pointing back ("这里面…", "那其中…", "它的…") leans on the last answer.
FOLLOW_UP = re.compile(r"^(那么|那|其中|它的|它|其|这个|这项|该项|该|再|还有|这(?:里面|里头|其中|当中|之中|里|中|块|部分))|呢[?？。]?$")
DRILL = re.compile(r"^(?:其中|[这那](?:里面|里头|其中|当中|之中|里|中))")
REFER = re.compile(r"^(它的?|其|这个|该项|该)")
# "一共支出了多少钱" / "总收入": the department's total (the words left once particles are gone).
SPEND_TOTAL = re.compile(r"^(今年|本年|当年|全年)?(一共|总共|全部|总|共)?(支出|花|花费|开支|花掉|花出去|用掉|用了)(总额|合计|总计)?$")
INCOME_TOTAL = re.compile(r"^(今年|本年|当年|全年)?(一共|总共|全部|总|共)?(收入|收到|收了|收|进账|进了)(总额|合计|总计)?$")
RANK = re.compile(r"最(高|低|多|少|大|小)|排名|排序|排前|前[三五十]|前\d|第[二三四五六七八九十\d]+(高|低|多|少|大|小)|倒数第|排在?第")
LOWEST = re.compile(r"最(低|少|小)|倒数|第[二三四五六七八九十\d]+(低|少|小)")
# "第二高", "倒数第三": the row at that place of the order.
NTH = re.compile(r"第([二三四五六七八九十]|\d+)(?:高|低|多|少|大|小|名|位)?")
# "所有项目", "7个绩效自评项目", "各项目", "这几个项目", "项目里哪个": the projects as one group.
ALL_PROJECTS = re.compile(r"(所有|全部|各个?|这\d*几?个|\d+个|[一二三四五六七八九十]+个|总体|整体|合在一起|合起来|哪个|哪一个|哪些|哪几个)(?:绩效)?(?:自评)?项目|项目(里|中|当中|之中)?(哪|谁|总体|整体)")
# "哪一类", "哪个款": rows of one level of the 功能分类.
LEVEL_ASKED = re.compile(r"哪(?:个|一个|一)?(类|款)|的(类|款)(?:是|有)")
TOP = re.compile(r"前([三五十]|\d+)")
# A condition on a row's figure: a comparison word and a number ("低于95%", "是100%", "500万元以上"). The words
# are data: the longest first, so "未达到" is not "达到" and "不超过" is not "超过". An equality word (是/为/等于)
# counts only with its unit, so "是2024年" or "为1个" is no condition.
COMPARISONS: dict[str, str] = {
    **dict.fromkeys(("未达到", "没有达到", "没达到", "未满", "不满", "低于", "不足", "少于", "小于", "不到", "未到"), "<"),
    **dict.fromkeys(("不超过", "不高于", "不大于", "不多于"), "<="),
    **dict.fromkeys(("不低于", "不少于", "不小于", "达到", "大于等于", "高于等于"), ">="),
    **dict.fromkeys(("超过", "高于", "大于", "多于", "超出"), ">"),
    **dict.fromkeys(("等于", "恰好", "正好", "刚好", "是", "为"), "="),
}
AFTER = {"以上": ">=", "及以上": ">=", "或以上": ">=", "以下": "<=", "及以下": "<=", "或以下": "<=", "以内": "<="}
NUMBER = r"(\d+(?:\.\d+)?)\s*(%|亿元|万元|元|亿|万)?"
FILTER = re.compile(
    r"(" + "|".join(sorted(map(re.escape, COMPARISONS), key=len, reverse=True)) + r")了?\s*" + NUMBER + r"(?![\d.年月日个])"
    r"|" + NUMBER + r"(" + "|".join(sorted(AFTER, key=len, reverse=True)) + r")"
)
EQUALS = ("等于", "恰好", "正好", "刚好", "是", "为")
# "有几个", "有哪些", "是哪些", "列出…": the rows asked for by count or by list.
LIST = re.compile(r"哪些|哪几[个项类款]|有几[个项类款]|几个|多少个|多少项|列出|列举|数量")
# The rows a condition ranges over, named right after it ("执行率达到100%的项目", "低于95%的项级科目").
ROWS_NAMED = re.compile(r"^的?.{0,6}?(项目|科目|[类款项](?!目))")
# A reason or a remedy asked about rows ("执行率低于90%的原因有哪些"): a passage, not a list of rows.
NOT_ROWS = re.compile(r"原因|为什么|为何|怎么|如何|措施|问题|整改")
# Chinese numerals in a condition ("百分之九十五", "五百万元以上"), read as digits.
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = re.compile(r"百分之([零一二两三四五六七八九十百千]+|百)|([零一二两三四五六七八九十百千]+)(?=亿|万|元)")
FISCAL_SCOPE = re.compile(r"财政拨款|一般公共预算|财政资金")
COMPLETION = re.compile(r"完成.{0,8}预算.{0,4}(百分之|百分比|%|比例|多少|几成)")
# A standard table named as where to look ("支出决算表里", "一般公共预算财政拨款基本支出决算明细表中").
# Casual names too: "总表", "收入表", "支出表", "三公表", "基本支出那张表", "财政拨款那张表".
TABLE_NAME = re.compile(r"[\u4e00-\u9fff“”\"]{0,16}?(?:决算(?:明细)?表|总表|收入表|支出表|经费表|明细表|拨款表|那张表|这张表)"
                        r"(?:这一行|那一行|这行)?(?:里头|里面|上面|当中|[里中内]|上(?![年级期]))?[,，]?")
# "事业运行（项）", "教育（类）": the level a reader writes after a subject name, as the tables print it.
LEVEL_MARK = re.compile(r"[(（](类|款|项)[)）]")
# Words that place a figure in a table or a time of year, or ask where it came from: no row of their own.
TABLE_WORDS = re.compile(r"(?:部门)?整体(?:支出)?(?:绩效)?(?:自评表?)?|绩效自评表?|自评表|明细表|明细|决算表|这张表|表里|表中|到年底|到年末|年底|到\s*下年|哪来的|哪来|从哪里来|从哪来")
FUND_WORDS = re.compile(r"(一般公共预算|政府性基金|国有资本经营)(预算)?|\(\s*\)")
# What joins a container to its part: "三公经费里公务接待费", "一般公共服务支出中的行政运行", "<项目>的<指标>".
QUALIFIES = re.compile(r"\s*(的|中的|里的|里头的|当中的|之中的|下的|中|里头|里面|里|当中|之中|下|项下|,)?\s*")
# "去年一共花了多少" asked of a report published the year after: the reader's last year is the report's year
# ("比去年", "较去年", "去年同期" compare with the year before it and stay).
READERS_LAST_YEAR = re.compile(r"(?<![比较与和同])去年(?!同期|相比|比|的?同)")
# "A在B中所占比重", "A在B里的占比": the whole named before the share word.
# "财政拨款支出中社会保障和就业支出占多少比例": the whole first, its part after 中, nothing after 占 but the share.
WHOLE_FIRST = re.compile(r"^(.{2,30}?)(?:中|里头|里面|里|当中|之中)[,，]?(?!的)(.{2,30}?)所?占(?:多少|几成|百分之几|百分之多少|百分比|的?比例|的?比重|比|%)")
WHOLE_BEFORE = re.compile(r"在(.{2,30}?)(?:中|里头|里面|里|当中|之中)的?所?(?:占|比重|比例)")
# Words around a row that say how money moved or how many rows were named, never which row: "给职工发的",
# "发放的", "截至年底", "这三项", "资金".
PAYING_WORDS = re.compile(r"给.{0,6}?发(?:放)?的?|发放|取得的?|花在|用在|这一[类款项]|安排了|安排的|安排|下达的?|发的|发了|支付的?|拨付的?|截至|截止|资金|"
                           r"这?[两二三四五六七八九十几\d]+(?:项|个|笔|类)(?:项目)?|这[两二三四五六七八九十几]")
# "合计占…", "这两项合计占…", "两者之和占…": a share whose part is a total of earlier figures.
TOTAL_BACK = re.compile(r"^(这两项|这两个|这几项|两项|两者|二者|它们|以上|上述)?的?(合计|之和|总和|加起来|一共|总共|共计)")
FUND_BEFORE = re.compile(r"(政府性基金|国有资本经营|一般公共)(?:预算)?$")
# "A是B的几倍", "A是B的多少倍", "A相当于B的几倍": a ratio of two figures of one kind.
RATIO = re.compile(r"的(几|多少)倍|是.{1,30}?几倍|翻了几(倍|番)")
PLACE = re.compile(r".+?(?:省|自治区|市|自治州|州|盟|区|县|旗)")
# Words that ask for a figure: an amount or a count ("多少", "几辆", "花了"), or also a share or a rate. One
# vocabulary for the router (a passage does not answer an amount), the follow-ups (an amount asked is not a
# share carried over) and the stated path.
ASKS_AMOUNT = re.compile(r"多少|几[个辆人条家台项次位名]|金额|数额|花了|支出了")
# A share or a rate asked ("按百分比算", "占比", "几成"): the answer is a percentage, or it is no answer.
ASKS_PERCENT = re.compile(r"百分数|百分比|百分之|占比|比例|比重|几成|%")
ASKS_FIGURE = re.compile(ASKS_AMOUNT.pattern + r"|比例|比重|占比|率是")
# Everyday words that name nothing in a report — asking, hedging, pointing, "this year" said loosely — dropped
# before a question is read ("想问下企服中心差旅费这块一年花掉多少" reads "企服中心差旅费花掉多少"). Words that
# say what to compute (合起来, 一共, 占) are not here: they name the operation.
FILLERS = re.compile(
    r"在吗|哈喽|各位老师好?|那个啥|写稿要用|审议材料要用|辛苦了|感恩|急|🙏|"
    r"您好|你好|请问一下|请问|求问一下|求问|好奇问一句|好奇问下|小白提问|先谢谢了?|多谢了?|谢谢了?|感谢|请教一下|请教下|顺便问问|打听一下|打听下|劳驾|"
    r"想问一下|想问下|想问问|我想问|问一下|问下|看下|说一下|说说|算下来|算出来|落到|带进来的?|手头的?|那一栏|这一栏|那栏|那行|"
    r"多出来|少出来|想了解一下|想了解|想知道|请帮我|帮我|帮忙|麻烦你?|查查|查一下|查下|看一下|看看|告诉我|"
    r"能不能|可不可以|大概|大约|大致|具体|到底|究竟|最后|最终|决算下来|一年下来|下来|这一年|(?<![上去前今本每第])一年(?!度)|这块|这一块|那块|"
    r"这一行|那一行|这行|这部分|那部分|部分|这方面|方面|对应的数值|对应的数|对应数|对应的|对应|数值|的话|给个|列一下|呀|哈|嘛|吧|哦|呗"
)
# Everyday words for what a report names in words of its own, each with the report's word: a question is read in
# the report's words ("整年拢共掏了多少钱" reads "全年一共支出多少钱", "做项目的钱" reads "项目支出", "合计栏里填的"
# reads "合计"). One table per meaning; a word that a row of the report itself prints is left as it is
# (query.in_report_words), so a row is never renamed.
COLLOQUIAL: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(words), canonical) for words, canonical in (
    # the department said as "us" (咱们局, 我们学校, 本中心): who is asked about, not a row
    (r"(?:咱们|我们|俺们|你们|他们|咱|我|本|这个|这所|该|贵)(?:单位|部门|大学|学校|学院|中心|局|校|院|委|办|所|站|队)(?:的|里|在)?", ""),
    # the unit as a party (校方, 院方, 局方)
    (r"(?:校|院|局)方(?:的|这边|那边)?", ""),
    # money going out, said with everyday verbs
    (r"(?:实际)?(?:掏出去|掏出|掏)了?的?(?:钱数|钱)?(?=是|有|为|占|比|在|多少|几|[?？]|$)|(?:掏出去|掏出|掏)了?", "支出"),
    (r"开支|开销|花销|花费|烧了|烧掉|投进去|投入了|支了|支出去|列支|拿出去|付出去|花出去|动用了|动用|本年发生额|发生额|总开支", "支出"),
    (r"项目性支出", "项目支出"),
    (r"社保(?!障)", "社会保障和就业"),
    (r"(?:做|搞)项目(?:的钱|用的钱|花的钱|的)?", "项目支出"),
    (r"到账|进账|入账|收进来", "收到"),
    (r"整年|一整年|一年到头|全年下来|全年度|一年里头|一年里|12个月|十二个月", "全年"),
    (r"年终|年底|12月底|12月31日|12月31号", "年末"),
    (r"1月1日|1月1号|年头", "年初"),
    (r"当初|起初|最初|一开始", ""),  # "当初预算": the budget
    # the last answer pointed at by time or by its figure ("刚刚那个数里头…", "上面那个数的预算"): a follow-up
    (r"^(?:(?:刚才|刚刚|方才|上面|前面|之前)(?:说的|提到的|问的|查的|算的)?的?)?[这那](?:笔钱|笔|个数字|个数|个钱数)"
     r"|^(?:刚才|刚刚|方才|上面|前面|之前)(?:说的|提到的|问的|查的|算的)?(?:的|那个|这个)?", "那"),
    (r"拢共|统共|满打满算|总共|一总", "一共"),
    (r"凑(?:在|到)?一(?:起|块儿?)(?:算)?|放一起算|放在一起算|算到一块儿?|归拢到一块儿?|归拢|合在一块儿?|合一块儿?|一加", "加起来"),
    (r"这?[两三几]样", ""),
    (r"(?:折合|折算|合)?几个点", "百分之几"),
    (r"有多大|多大", "多少"),
    (r"预算盘子|盘子|预算额度|预算定了", "预算"),
    (r"账上|账面上?|攒着的|攒下的|剩下的|余下的|还存着|存着的?|滚存(?:进来|下来)?的?", ""),
    (r"这个口子|那个口子|口子|那头|这头|掰开来?|拆开来?|点开", ""),
    (r"名下", "的"),
    (r"这个科目|这一科目|该科目|(?<=.)那一项|(?<=.)这一项", ""),
    # only this money ("光看财政拨款", "光搞项目就支了"): the scope or the column is named after it
    (r"光看|只看|只算|光算|仅看|仅算|光(?=搞项目|做项目|基本支出|项目支出)|(?<=项目)就|(?<=基本支出)就", ""),
    # a table named by its page, a column by its line ("收入那页里…在基本支出那列", "最底下的总计")
    (r"的?[那这]一?页|的?[那这]个表", "那张表"),
    (r"[那这]一?竖?列|竖列|对着的?格子|的?格子|对着|写的|写着|最底下的?|最下面的?", ""),
    (r"栏里填的(?:钱数|数字|数)?|栏里的(?:钱数|数字|数)?|栏里|栏目?", ""),
))
# A unit named at the start of a question by the structure of its name — an optional place, then words ending in
# what units are called ("规土局…", "自然资源局…", "企服中心…", "市场监管局的…"): who is asked about, not a row.
ORGANISATION = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,6}?[省市区县州旗])?([\u4e00-\u9fff]{1,10}?(?:委员会|办公室|办事处|中心|大学|学院|学校|街道|部门|[局委办厅院所站队馆署]|大(?=的|里|在|20|今年|去年)))"
    r"(?:的|里|在)?"
)
# Things a reader may ask that 部门决算 do not report unless they say so: a concept asked, with the words a report
# would use if it had it. Asked of a report without those words, the answer is "not in the report", not a passage.
ABSENT_CONCEPTS: tuple[tuple[re.Pattern, re.Pattern], ...] = (
    (re.compile(r"中标(单位|公司|企业|供应商|方)|哪家中标|谁中标|中标的是"), re.compile(r"中标(单位|供应商|公司)(为|是|名称)")),
    (re.compile(r"(多少|几)个?(行政|事业)?编制|(?<!决算)编制(?!范围).{0,6}(多少|几)|编制(人数|数)|在编人|在职人数|多少(名|个)?(员工|职工|工作人员)"),
     re.compile(r"编制(人数|数)为|在职人员\s*\d|实有人数|编制\s*\d+\s*(名|人)")),
    (re.compile(r"人口"), re.compile(r"人口")),
    # a person (who heads the unit, their name, their career): a report names its unit's money, not its people
    (re.compile(r"(?:负责人|局长|主任|书记|校长|院长|处长|科长|领导)(?:是谁|叫什么|叫啥|姓什么|姓啥|的名字|名字|是哪|是从哪|哪[所个里年]|的简历|简历|多大)"),
     re.compile(r"(?:局长|主任|书记|校长|院长|负责人)[:：]\s*[\u4e00-\u9fff]{2,3}(?![\u4e00-\u9fff])")),
    # other units set beside this one (a ranking, a comparison): a report has its own unit's figures only
    (re.compile(r"(?:同类|同级|同行|兄弟|其他|其它|别的|别家)(?:单位|部门|局|委|办|中心|学校|高校|大学|区)|(?:全区|全市|全省|全国)(?:排名|排行)"),
     re.compile(r"同类单位|同级单位|排名第")),
)
NOISE = re.compile(r"请问|一下|是多少|有多少|多少钱|多少|是什么|呢|吗|啊|了|的|是|都|？|\?|。|,|，|!|！|“|”|\"")
