"""高等学校 / 中央部门 format: "表1:高等学校收支决算总表" … "表4:高等学校财政拨款支出决算表".

Peculiarities: four tables numbered "表N"; a caption row "单位名称： | 单位：万元" over the header;
column trees (本年支出 › 项目支出 › 其中：基本建设资金支出; 事业收入 › 金额 / 其中：教育收费); a
"类 款 项 | 合计" row that is both the code axis and the total; continuation pages that repeat no header
and may print fewer (merged) code columns. Its 财政拨款支出决算表 is a table of its own: in this layout
"财政拨款" names that table, not the 财政拨款收入 column of the totals table.
"""

import re

from index.layouts import Layout, Numbering, register
from index.vocabulary import TableKind

FISCAL_EXPENDITURE = TableKind(
    "fiscal_expenditure", "财政拨款支出决算表",
    re.compile(r"(?<!一般公共预算)(?<!政府性基金预算)(?<!国有资本经营预算)财政拨款支出决算表$"),
)

LAYOUT = register(
    Layout(
        id="central",
        name="高等学校/中央部门“表N”格式",
        numberings=(Numbering(re.compile(r"^()表\s*(\d{1,2})\s*(?:[:：、.．]\s*|\s+|(?=[^\d\s]))"), "{}表{}"),),
        title_marks=("高等学校",),
        kinds=(FISCAL_EXPENDITURE,),
        scope_kinds={"fiscal": ("fiscal_expenditure",)},
        column_aliases={
            "基本建设资金支出": ("基建支出", "基本建设支出", "基建资金", "基本建设资金"),
            "使用非财政拨款结余(含专用结余)": ("使用非财政拨款结余", "非财政拨款结余"),
            "教育收费": ("教育收费收入",),
        },
        caption_cells=("单位名称", "单位", "部门", "编制单位"),
        priority=20,
    )
)
