"""Held-out question sets in everyday wording, with gold taken from a report's table cells.

The yardstick of issue #19: questions written the way citizens and reviewers talk (colloquial verbs
and fillers, the department abbreviated, tables and columns named casually, sums, shares,
differences, two-turn follow-ups, questions the report cannot answer), none of them in the wording
of `shared/tools/gen_questions.py`. Standard library only, and it imports nothing from the
project: the yardstick must not share the parser's bugs.

usage:
  python -m eval.heldout                      # regenerate tests/data/heldout/<report>.jsonl, -b … -f.jsonl
  python -m eval.heldout --verify             # recompute every gold value from the cells; exit 1 on a miss
  python -m eval.heldout --cells REPORT.txt   # derive table cells from a hand-verified .txt (stdout)
  python -m eval.heldout --check REPORT.txt   # derive cells and check them against the printed totals

Cells (one JSON object a line, the format of shared/reports/*-cells.jsonl): `table` (title without
year or number), `label` (row label, with its code where the row has one), `code`, `value` (万元),
`percent`, `column` (header path joined by " › "), `page`.

Gold items follow shared/eval/README.md (id, question, type, values, unit, tol, turns). Each item
also carries `why` (the cells and the arithmetic, for a reader) and `from` (the same, for
`--verify`): {"op": "lookup"|"sum"|"diff"|"share", "args": [[[table, label, column], ...], ...]},
one list of equally acceptable cells per operand.

Rules the gold follows (so a reader can dispute an item, not the whole set):
- A question that names no scope asks the full-scope figure (支出决算表 / 收支总表); where the
  fiscal tables print another figure for the same row, that figure is NOT accepted.
- A name is asked bare only when every cell of another row that the same words could mean (other
  codes, the economic classification, the 三公 table) has the same value; otherwise the question
  names the parent row or the table casually, or the row is not asked.
- Where two tables print one row's figure with a rounding difference, both are accepted.
- Shares: both the 2-decimal and the 1-decimal percentage are accepted, tol 0.01.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import zlib
from collections import OrderedDict, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "tests" / "data" / "heldout"
SEP = " › "

# ---------------------------------------------------------------- the reports (data)

REPORTS: dict[str, dict] = {
    "putuo-ghzy-2024": {"dept": "上海市普陀区规划和自然资源局", "year": 2024,
                        "cells": "samples/putuo-ghzy-2024-cells.jsonl"},
    "chongqing-xinandaxue-2023": {"dept": "西南大学", "year": 2023,
                                  "cells": "tests/data/heldout/chongqing-xinandaxue-2023-cells.jsonl"},
    "hanyang-qifu-2023": {"dept": "武汉市汉阳区企业服务中心", "year": 2023,
                          "txt": "samples/hanyang-qifu-2023.txt",
                          "cells": "tests/data/heldout/hanyang-qifu-2023-cells.jsonl"},
    "hanyang-scjgj-2023": {"dept": "武汉市汉阳区市场监督管理局", "year": 2023,
                           "txt": "samples/hanyang-scjgj-2023.txt",
                           "cells": "tests/data/heldout/hanyang-scjgj-2023-cells.jsonl"},
}

# How many items of each kind per report (the sets have ≥ 120 items each).
QUOTA = {"spend": 24, "scoped": 8, "split": 12, "table": 12, "total": 12, "sum": 14, "share": 16,
         "diff": 14, "conv": 18, "unans": 10}

# ---------------------------------------------------------------- wording (data)
MIN_SHARE = 0.5     # %: a smaller share is not asked (its 1-decimal rounding says little)

# Every template uses words that gen_questions.py does not (COLLOQUIAL lists them; the test checks
# both facts).  Slots: {D} department as people call it, {Y} year or nothing, {S} a row, {A} {B}
# two rows, {T} a table named casually, {F} a filler at the start.

COLLOQUIAL = ["花掉", "这块", "一年下来", "最后决算下来", "想问下", "帮我查查", "大概", "给个百分比",
              "合起来", "加起来", "那块", "那张表", "那行", "花出去", "用掉", "进账", "几成", "拿了",
              "百分之多少", "手头", "项目上", "一共收了", "算下来", "落到", "查一下", "看下", "带进来",
              "给了", "剩下", "多出来", "那一栏"]

FILLERS = ["", "", "", "想问下", "帮我查查", "麻烦看下", "查一下", "问下"]

T_SPEND = [
    "{F}{D}{Y}{S}这块一年花掉多少",
    "{F}{D}{Y}{S}最后决算下来是多少",
    "{F}{D}{S}这块一年下来用掉多少钱",
    "{F}{D}{Y}在{S}上一共花出去多少",
    "{S}这一块{D}一年下来花掉了多少",
    "{F}{D}{S}那块最后算下来花了多少",
    "{F}{D}{Y}{S}大概花掉多少钱",
]
T_SPEND_FISCAL = [
    "{F}{D}财政拨款里的{S}这块花掉多少",
    "{F}{D}{Y}{S}用掉的财政拨款算下来是多少",
]
T_SPEND_GPB = [
    "{F}{D}一般公共预算拨款里{S}这块花掉多少",
    "{F}{D}{Y}{S}落到一般公共预算那块的钱是多少",
]
T_BASIC = [
    "{F}{D}{S}这块基本支出那块是多少",
    "{F}{D}{Y}{S}里头基本支出最后决算下来多少",
    "{S}这块{D}一年下来基本支出花掉多少",
]
T_PROJECT = [
    "{F}{D}{S}这块项目上花的有多少",
    "{F}{D}{Y}{S}项目上用掉多少钱",
    "{S}这块{D}项目上一年下来花掉多少",
]
T_TABLE = [  # {T} a table, {C} a column named casually
    "{F}{T}里{S}那行{C}是多少",
    "{T}里头{S}这块{C}算下来多少",
    "{F}{D}{T}上{S}那行的{C}是多少",
]
T_TOTAL = {
    "spend": ["{F}{D}{Y}一年下来总共花掉多少钱", "{F}{D}{Y}全年一共花出去多少", "{D}{Y}一年的钱最后决算下来花了多少"],
    "income": ["{F}{D}{Y}一年下来总共进账多少", "{F}{D}{Y}一年一共收了多少钱", "{D}{Y}全年收入算下来一共多少"],
    "basic": ["{F}{D}{Y}基本支出那块一共多少", "{D}{Y}一年下来基本支出总共花掉多少"],
    "project": ["{F}{D}{Y}项目上一共花了多少", "{D}{Y}一年下来项目上总共用掉多少钱"],
    "grand": ["{F}{D}总表最后那个总计算下来是多少", "{D}{Y}收支总表里总计那行是多少"],
    "carry_end": ["{F}{D}{Y}年底手头还剩多少结转结余", "{D}{Y}年末结转结余最后剩下多少钱"],
    "carry_begin": ["{F}{D}{Y}年初手头结转结余有多少", "{D}年初带进来的结转结余是多少"],
    "fiscal": ["{F}{D}{Y}财政拨款一年下来花掉多少", "{D}{Y}财政拨款那块一共花出去多少"],
    "gpb": ["{F}{D}{Y}一般公共预算拨款一年下来花掉多少", "{D}一般公共预算那块拨款一共用掉多少"],
    "staff": ["{F}{D}{Y}人员经费一年下来多少", "{D}{Y}人员经费这块花掉多少钱"],
    "office": ["{F}{D}{Y}公用经费这块花掉多少", "{D}{Y}公用经费一年下来用掉多少"],
    "sg_actual": ["{F}{D}{Y}三公经费最后实际花掉多少", "{D}{Y}三公那块一年下来用掉多少钱"],
    "sg_budget": ["{F}{D}{Y}三公经费预算给了多少", "{D}{Y}三公那块年初预算给了多少"],
    "source": ["{F}{D}{Y}{S}这块一年进账多少", "{D}{Y}{S}拿了多少钱", "{F}{D}{S}一年下来有多少"],
}
T_SUM = [
    "{F}{D}{A}和{B}加起来多少",
    "{F}{D}{Y}{A}跟{B}合起来一共花掉多少",
    "{D}{A}和{B}这两块合起来是多少钱",
]
T_SHARE = [
    "{F}{D}{A}占{B}百分之多少",
    "{F}{D}{Y}{A}在{B}里占几成，给个百分比",
    "{D}{A}占{B}大概百分之多少",
]
T_DIFF = {
    "more": ["{F}{D}{A}比{B}多花出去多少", "{D}{Y}{A}这块比{B}多用掉多少钱", "{F}{D}{A}比{B}多出来多少钱"],
    "less": ["{F}{D}{A}比{B}少花出去多少", "{D}{Y}{A}这块比{B}少用掉多少钱"],
}
T_DIFF_BP = {
    "more": ["{F}{D}{S}这块基本支出比项目上多花出去多少", "{D}{S}里头基本支出比项目上多用掉多少"],
    "less": ["{F}{D}{S}这块项目上比基本支出多花出去多少", "{D}{S}里头项目上比基本支出多用掉多少"],
}
T_DIFF_SG = {"less": ["{F}{D}{Y}三公经费实际比预算少花出去多少", "{D}三公那块预算剩下多少没用掉"],
             "more": ["{F}{D}{Y}三公经费实际比预算多花出去多少"]}
T_DIFF_CARRY = {"more": ["{F}{D}{Y}年底手头的结转结余比年初多出来多少"],
                "less": ["{F}{D}{Y}年底手头的结转结余比年初少了多少"]}
T_CONV_FIRST = ["{F}{D}{Y}{S}这块一年花掉多少", "{D}{S}最后决算下来是多少", "{F}{D}{S}那块用掉多少钱"]
T_CONV_NEXT = {
    "sibling": ["那{B}呢", "那{B}这块呢", "{B}呢？"],
    "basic": ["其中基本支出呢", "那基本支出那块呢"],
    "project": ["其中项目上花的呢", "那项目上用掉多少"],
    "share": ["占总支出多少", "这个占全年支出百分之多少", "占一年总支出几成"],
    "sg_budget": ["那预算给了多少", "预算是多少呢"],
}
T_UNANS = [
    "{F}{D}管的区域常住人口有多少",
    "{D}所在的区人口大概多少",
    "{F}{D}编制人数是多少",
    "{D}一共有多少个编制",
    "{F}{D}{Y}政府采购的中标单位是哪家",
    "{D}{Y}那个信息化项目中标单位是谁",
    "{F}{D}2019年{S}这块花掉多少",
    "{D}2018年一年下来总共花了多少钱",
    "{F}{D}2017年的收入一共多少",
    "{D}2019年三公经费花掉多少",
]

T_TABLE_VALUE = ["{F}{T}里{S}那行是多少", "{T}里头{S}这块算下来多少"]
T_SHARE_ROW_BASIC = ["{F}{D}{S}这块里基本支出占几成，给个百分比", "{D}{S}里头基本支出占百分之多少"]
T_SHARE_SG_BUDGET = ["{F}{D}{Y}三公经费实际花掉的占预算百分之多少"]
WHOLE_SPEND = ["全年支出", "一年总支出", "总支出"]          # 本年支出合计 named casually
WHOLE_SPEND_PAIR = ("全年支出", "总支出")
PART_NAMES = {"basic": "基本支出", "project": "项目上花的钱"}

# Casual names of the tables (by kind) and of their columns.
TABLE_NAMES = {
    "summary": ["总表", "收支总表"], "income": ["收入表"], "exp": ["支出表"],
    "fin_summary": ["财政拨款总表", "财政拨款收支那张总表"], "gpb_exp": ["一般公共预算支出表", "财政拨款那张支出表"],
    "fiscal_exp": ["财政拨款那张表", "财政拨款支出表"], "basic_econ": ["基本支出那张表", "基本支出明细表"],
    "sangong": ["三公表"], "govfund": ["政府性基金那张表"],
}
COLUMN_NAMES = {"total": ["合计那一栏", "合计"], "basic": ["基本支出那块", "基本支出那一栏"],
                "project": ["项目上花的", "项目支出那块"], "income_total": ["收入合计那一栏", "总收入"],
                "fiscal_income": ["财政拨款那一栏", "财政拨款给的"], "value": ["数", "金额"]}

WORDING_KEYS = ["FILLERS", "T_SPEND", "T_SPEND_FISCAL", "T_SPEND_GPB", "T_BASIC", "T_PROJECT", "T_TABLE",
                "T_TABLE_VALUE", "T_TOTAL", "T_SUM", "T_SHARE", "T_SHARE_ROW_BASIC", "T_SHARE_SG_BUDGET", "T_DIFF",
                "T_DIFF_BP", "T_DIFF_SG", "T_DIFF_CARRY", "T_CONV_FIRST", "T_CONV_NEXT", "T_UNANS", "TABLE_NAMES",
                "COLUMN_NAMES", "WHOLE_SPEND", "WHOLE_SPEND_PAIR", "PART_NAMES"]

# A second batch of wording, written after the first had been used to fix the assistant (its words went
# into the assistant's vocabulary): none of these words is in gen_questions.py, nor was any in the
# assistant's code when they were written (COLLOQUIAL_B), so batch b stays held out.
COLLOQUIAL_B = ["掏", "统共", "拢共", "满打满算", "名下", "栏里", "几个点", "高出", "低了", "差了", "凑一起",
                "两项相加", "又是多少", "换成", "盘子", "余下", "账上", "整年", "砸", "钱数", "折合", "打听",
                "请教", "劳驾", "顺便问问", "到账", "合计栏", "基本支出栏", "项目支出栏", "做项目", "住着", "哪家公司",
                "第一张", "明细那张"]
WORDING_B = {
    "FILLERS": ["", "", "", "打听一下", "请教下", "劳驾", "顺便问问"],
    "T_SPEND": ["{F}{D}{Y}在{S}上掏了多少钱", "{F}{D}整年{S}统共掏了多少", "{S}这个科目{D}满打满算掏了多少钱",
                "{F}{D}{Y}{S}名下实际掏出去的钱数是多少", "{F}{D}{Y}往{S}里砸了多少钱", "{D}{Y}{S}拢共掏了多少钱"],
    "T_SPEND_FISCAL": ["{F}{D}{S}掏的钱里财政拨款统共出了多少", "{F}{D}{Y}{S}靠财政拨款掏了多少钱"],
    "T_SPEND_GPB": ["{F}{D}{S}掏的钱里一般公共预算拨款统共出了多少", "{F}{D}{Y}{S}靠一般公共预算拨款掏了多少钱"],
    "T_BASIC": ["{F}{D}{S}的钱里基本支出统共掏了多少", "{S}这个科目{D}基本支出栏里是多少"],
    "T_PROJECT": ["{F}{D}{S}的钱里做项目统共掏了多少", "{S}这个科目{D}项目支出栏里是多少"],
    "T_TABLE": ["{F}{D}{T}中{S}名下{C}里是多少", "{F}{T}上{S}这个科目的{C}里填的钱数是多少"],
    "T_TABLE_VALUE": ["{F}{T}上{S}名下的钱数是多少", "{T}中{S}这个科目统共多少"],
    "T_TOTAL": {
        "spend": ["{F}{D}{Y}整年拢共掏了多少钱", "{D}{Y}全年的钱满打满算掏出去多少"],
        "income": ["{F}{D}{Y}整年拢共到账多少钱", "{D}{Y}账上全年收入统共多少"],
        "basic": ["{F}{D}{Y}基本支出统共掏了多少钱", "{D}整年基本支出拢共多少"],
        "project": ["{F}{D}{Y}做项目统共掏了多少钱", "{D}整年做项目拢共花出的钱数"],
        "grand": ["{F}{D}第一张总表的总计栏里是多少"],
        "carry_end": ["{F}{D}{Y}年底账上余下的结转结余是多少钱", "{D}年末结转结余账上余下多少"],
        "carry_begin": ["{F}{D}{Y}年初账上的结转结余统共多少"],
        "fiscal": ["{F}{D}{Y}财政拨款的钱整年拢共掏了多少"],
        "gpb": ["{F}{D}{Y}一般公共预算拨款整年拢共掏了多少"],
        "staff": ["{F}{D}{Y}人员经费统共掏了多少钱"],
        "office": ["{F}{D}{Y}公用经费拢共掏了多少"],
        "sg_actual": ["{F}{D}{Y}三公经费实际掏了多少钱"],
        "sg_budget": ["{F}{D}{Y}三公经费的预算盘子是多少"],
        "source": ["{F}{D}{Y}{S}统共到账多少钱"],
    },
    "T_SUM": ["{F}{D}{A}和{B}凑一起统共多少钱", "{D}{Y}{A}和{B}两项相加是多少", "{F}{D}把{A}跟{B}凑一起算拢共多少钱"],
    "T_SHARE": ["{F}{D}{A}在{B}里占几个点", "{D}{Y}{A}占{B}的比例折合几个点"],
    "T_SHARE_ROW_BASIC": ["{F}{D}{S}的钱里基本支出占几个点"],
    "T_SHARE_SG_BUDGET": ["{F}{D}{Y}三公经费实际掏的钱是预算盘子的几个点"],
    "T_DIFF": {"more": ["{F}{D}{A}比{B}高出多少钱", "{D}{Y}{A}和{B}差了多少钱"],
               "less": ["{F}{D}{A}比{B}低了多少钱", "{D}{Y}{A}和{B}差了多少钱"]},
    "T_DIFF_BP": {"more": ["{F}{D}{S}的钱里基本支出比做项目的高出多少"],
                  "less": ["{F}{D}{S}的钱里做项目的比基本支出高出多少"]},
    "T_DIFF_SG": {"less": ["{F}{D}{Y}三公经费实际比预算盘子低了多少钱"], "more": ["{F}{D}{Y}三公经费实际比预算盘子高出多少钱"]},
    "T_DIFF_CARRY": {"more": ["{F}{D}{Y}年底账上的结转结余比年初高出多少"], "less": ["{F}{D}{Y}年底账上的结转结余比年初低了多少"]},
    "T_CONV_FIRST": ["{F}{D}{Y}{S}统共掏了多少钱", "{D}{S}这个科目掏了多少钱"],
    "T_CONV_NEXT": {"sibling": ["换成{B}又是多少", "{B}的又是多少"], "basic": ["这里面基本支出又是多少"],
                    "project": ["这里面做项目的又是多少"], "share": ["在整年开支里占几个点"],
                    "sg_budget": ["预算盘子又是多少"]},
    "T_UNANS": ["{F}{D}辖区里住着多少人口", "{F}{D}2016年{S}掏了多少钱", "{D}2015年整年拢共掏了多少",
                "{F}{D}{Y}采购的东西是哪家公司中标的", "{D}核定的编制统共几个人", "{F}{D}2014年账上到账多少钱",
                "{D}所在城区住着多少人口", "{F}{D}{Y}那个建设项目是哪家公司中标的"],
    "TABLE_NAMES": {"summary": ["第一张总表"], "income": ["收入那张表"], "exp": ["支出那张表"],
                    "fin_summary": ["财政拨款收支那张表"], "gpb_exp": ["一般公共预算支出那张表"],
                    "fiscal_exp": ["财政拨款支出那张表"], "basic_econ": ["基本支出明细那张表"],
                    "sangong": ["三公经费那张表"], "govfund": ["政府性基金那张表"]},
    "COLUMN_NAMES": {"total": ["合计栏"], "basic": ["基本支出栏"], "project": ["项目支出栏"], "income_total": ["收入合计栏"],
                     "fiscal_income": ["财政拨款收入栏"], "value": ["钱数"]},
    "WHOLE_SPEND": ["整年开支", "全年掏出去的钱"],
    "WHOLE_SPEND_PAIR": ("整年开支",),
    "PART_NAMES": {"basic": "基本支出", "project": "做项目的钱"},
}
# A third batch, written while the lead studied batch b's failures: none of these words is in batch a or b,
# in gen_questions.py, or in the assistant's code (assistant/*.py) when they were written (COLLOQUIAL_C;
# tests/eval/test_heldout.py checks all four), so batch c is the new held-out yardstick.  It sets every
# key of WORDING_KEYS (no wording of a or b leaks in), adds polite endings (TAILS) and names the
# department by a rule of its own (department_names_c).
COLLOQUIAL_C = ["开销", "烧了", "支了", "投进去", "入账", "收进来", "连同", "算到一块", "归拢", "按百分数", "差出",
                "攒着", "年终", "年头", "接手", "缩水", "涨了", "最底下", "那页", "那列", "写的", "刚才", "那笔",
                "当初", "光看", "只算", "搞项目", "那一项", "再帮我看看", "您好", "求问", "好奇", "小白", "谢谢",
                "多谢", "一把手", "新招", "牌子", "排第几", "承包", "隔壁"]
WORDING_C = {
    "FILLERS": ["", "", "", "您好，", "求问一下，", "好奇问一句，", "小白提问，"],
    "TAILS": ["", "", "", "", "谢谢", "多谢了", "先谢谢了"],
    "T_SPEND": ["{F}{D}{Y}在{S}上烧了多少钱", "{F}{D}{Y}{S}的开销是多少钱", "{S}那一项{D}{Y}支了多少钱",
                "{F}{D}{Y}在{S}上投进去多少钱", "{F}{D}{S}全年开销有多大"],
    "T_SPEND_FISCAL": ["{F}{D}{Y}光看财政拨款，{S}的开销是多少", "{F}{D}{S}那一项只算财政拨款支了多少钱"],
    "T_SPEND_GPB": ["{F}{D}{Y}光看一般公共预算拨款，{S}的开销是多少", "{F}{D}{S}那一项只算一般公共预算拨款支了多少钱"],
    "T_BASIC": ["{F}{D}{Y}{S}的开销中基本支出有多少", "{S}那一项{D}光基本支出就支了多少钱"],
    "T_PROJECT": ["{F}{D}{Y}{S}的开销中项目支出有多少", "{S}那一项{D}光搞项目就支了多少钱"],
    "T_TABLE": ["{F}{D}{T}上{S}那一项{C}写的多少", "{F}{T}里{S}那一项在{C}是多少钱"],
    "T_TABLE_VALUE": ["{F}{T}上{S}那一项写的多少", "{T}里{S}那一项的金额写的是多少"],
    "T_TOTAL": {
        "spend": ["{F}{D}{Y}全年开销一共有多大", "{D}{Y}这一年的开销全部算到一块是多少钱"],
        "income": ["{F}{D}{Y}全年入账一共多少钱", "{D}{Y}这一年收进来多少钱"],
        "basic": ["{F}{D}{Y}基本支出的开销一共多少", "{D}{Y}这一年光基本支出就支了多少"],
        "project": ["{F}{D}{Y}搞项目的开销一共多少", "{D}{Y}这一年光搞项目就支了多少钱"],
        "grand": ["{F}{D}收支总的那页最底下的总计是多少"],
        "carry_end": ["{F}{D}{Y}年终还攒着多少结转结余", "{D}{Y}年终攒着的结转结余是多少钱"],
        "carry_begin": ["{F}{D}{Y}年头接手的结转结余有多少钱"],
        "fiscal": ["{F}{D}{Y}光看财政拨款，全年开销是多少"],
        "gpb": ["{F}{D}{Y}只算一般公共预算拨款，全年开销是多少"],
        "staff": ["{F}{D}{Y}人员经费的开销有多少"],
        "office": ["{F}{D}{Y}公用经费一年支了多少钱"],
        "sg_actual": ["{F}{D}{Y}三公经费实际开销是多少"],
        "sg_budget": ["{F}{D}{Y}三公经费当初预算是多少"],
        "source": ["{F}{D}{Y}{S}那一项入账多少钱", "{D}{Y}{S}那一项收进来多少钱"],
    },
    "T_SUM": ["{F}{D}{A}连同{B}是多少钱", "{D}{Y}{A}和{B}算到一块是多少", "{F}{D}把{A}、{B}归拢到一块儿是多少钱"],
    "T_SHARE": ["{F}{D}{A}在{B}中按百分数算占多少", "{D}{Y}{A}占{B}多少，按百分数说"],
    "T_SHARE_ROW_BASIC": ["{F}{D}{S}的开销里基本支出按百分数算占多少"],
    "T_SHARE_SG_BUDGET": ["{F}{D}{Y}三公经费实际开销占当初预算多少，按百分数说"],
    "T_DIFF": {"more": ["{F}{D}{A}比{B}多支了多少钱", "{D}{Y}{A}比{B}多烧了多少钱", "{F}{D}{A}和{B}的开销差出多少钱"],
               "less": ["{F}{D}{A}比{B}少支了多少钱", "{D}{Y}{A}比{B}少烧了多少钱", "{F}{D}{A}和{B}的开销差出多少钱"]},
    "T_DIFF_BP": {"more": ["{F}{D}{S}的开销里基本支出比搞项目的多支了多少"],
                  "less": ["{F}{D}{S}的开销里搞项目的比基本支出多支了多少"]},
    "T_DIFF_SG": {"less": ["{F}{D}{Y}三公经费实际开销比当初预算少支了多少钱"],
                  "more": ["{F}{D}{Y}三公经费实际开销比当初预算多支了多少钱"]},
    "T_DIFF_CARRY": {"more": ["{F}{D}{Y}年终攒着的结转结余比年头接手的涨了多少"],
                     "less": ["{F}{D}{Y}年终攒着的结转结余比年头接手的缩水了多少"]},
    "T_CONV_FIRST": ["{F}{D}{Y}{S}的开销是多少钱", "{D}{S}那一项支了多少钱"],
    "T_CONV_NEXT": {"sibling": ["再帮我看看{B}", "{B}那一项的开销呢"], "basic": ["刚才那笔钱中基本支出有多少"],
                    "project": ["刚才那笔钱中项目支出有多少"], "share": ["刚才那笔钱在全年总开销里按百分数算占多少"],
                    "sg_budget": ["当初预算是多少"]},
    "T_UNANS": ["{F}{D}一把手叫什么名字", "{D}{Y}自己新招了几个工作人员", "{F}{D}2012年{S}的开销是多少",
                "{D}2011年全年开销一共多少", "{F}{D}2010年入账多少钱", "{D}{Y}那辆公务车是什么牌子的",
                "{F}{D}的开销在同类单位里排第几", "{D}{Y}办公楼的物业是哪个单位承包的",
                "{F}{D}跟隔壁兄弟单位比谁的开销大"],
    "TABLE_NAMES": {"summary": ["收支总的那页"], "income": ["收入那页"], "exp": ["支出那页"],
                    "fin_summary": ["财政拨款收支那页"], "gpb_exp": ["一般公共预算支出那页"],
                    "fiscal_exp": ["财政拨款支出那页"], "basic_econ": ["基本支出分科目那页"],
                    "sangong": ["三公那页"], "govfund": ["政府性基金那页"]},
    "COLUMN_NAMES": {"total": ["合计那列"], "basic": ["基本支出那列"], "project": ["项目支出那列"],
                     "income_total": ["收入合计那列"], "fiscal_income": ["财政拨款收入那列"], "value": ["金额那列"]},
    "WHOLE_SPEND": ["全年总开销", "全年开销"],
    "WHOLE_SPEND_PAIR": ("全年总开销",),
    "PART_NAMES": {"basic": "基本支出", "project": "搞项目的开销"},
}
# A fourth batch, written while the lead studied batches b and c: none of these words is in batch a, b or c (their
# wording or questions), in gen_questions.py, or in the assistant's code (assistant/**/*.py) when they were
# written (COLLOQUIAL_D; tests/eval/test_heldout.py checks all of it), so batch d is the held-out yardstick
# after c.  It is phrased the way reporters, auditors, 人大 deputies and citizens type on a phone: it sets every
# key of WORDING_KEYS (no wording of a, b or c leaks in), ends questions with a half-width "?" now and then
# (MARKS), adds its own endings (TAILS) and names the department by a rule of its own (department_names_d).
COLLOQUIAL_D = ["耗了", "耗费", "造了", "几何", "出账", "划走", "到手", "落袋", "年尾", "开年", "还趴着", "带过来",
                "叠加", "一并", "打包", "占到", "占去", "折成", "大头", "差值", "实打实", "仅就", "而言", "末行",
                "那份", "附表", "那格", "翻到", "翻开", "填了", "咋样", "瞧瞧", "拆开看", "总耗费", "项目经费", "批了",
                "打扰", "冒昧", "求证", "履职", "底稿", "在线等", "求解答", "蟹蟹", "拜托", "月薪", "上任", "施工队",
                "留言", "平均年龄"]
WORDING_D = {
    "FILLERS": ["", "", "", "打扰一下，", "冒昧问下，", "记者求证：", "人大代表履职提问：", "做底稿用，"],
    "TAILS": ["", "", "", "", "在线等", "求解答", "蟹蟹", "拜托了"],
    "MARKS": ["？", "?", "?"],
    "T_SPEND": ["{F}{D}{Y}{S}耗了多少钱", "{F}{D}{Y}在{S}上造了多少钱", "{S}科目{D}{Y}耗费几何",
                "{F}{D}{Y}{S}科目出账多少", "{F}{D}{S}全年划走了多少钱", "{D}{Y}{S}实打实耗了多少"],
    "T_SPEND_FISCAL": ["{F}{D}{Y}仅就财政拨款而言，{S}耗了多少", "{F}{D}{S}用财政拨款出账多少钱"],
    "T_SPEND_GPB": ["{F}{D}{Y}仅就一般公共预算拨款而言，{S}耗了多少", "{F}{D}{S}用一般公共预算拨款出账多少钱"],
    "T_BASIC": ["{F}{D}{Y}{S}拆开看，基本支出耗了多少", "{S}科目下，{D}基本支出出账多少钱"],
    "T_PROJECT": ["{F}{D}{Y}{S}拆开看，项目支出耗了多少", "{S}科目下，{D}项目经费出账多少钱"],
    "T_TABLE": ["{F}{D}翻到{T}，{S}对应{C}填了多少", "{F}翻开{T}，{S}对应的{C}是多少钱"],
    "T_TABLE_VALUE": ["{F}翻到{T}，{S}那格是多少", "{T}上{S}对应的那格数字填了多少"],
    "T_TOTAL": {
        "spend": ["{F}{D}{Y}全年总耗费是多少钱", "{D}{Y}一年里耗了多少钱，打包算"],
        "income": ["{F}{D}{Y}全年到手多少钱", "{D}{Y}各路钱一年里一共落袋多少"],
        "basic": ["{F}{D}{Y}基本支出全年耗了多少", "{D}{Y}光是基本支出就耗费几何"],
        "project": ["{F}{D}{Y}项目经费全年耗了多少", "{D}{Y}项目支出实打实耗了多少钱"],
        "grand": ["{F}{D}收支那份总表末行的总计是多少"],
        "carry_end": ["{F}{D}{Y}到年尾还趴着多少结转结余", "{D}{Y}年尾结转结余还趴着多少钱"],
        "carry_begin": ["{F}{D}{Y}开年时带过来的结转结余有多少钱"],
        "fiscal": ["{F}{D}{Y}仅就财政拨款而言，全年耗了多少"],
        "gpb": ["{F}{D}{Y}仅就一般公共预算拨款而言，全年耗了多少"],
        "staff": ["{F}{D}{Y}人员经费全年耗了多少钱"],
        "office": ["{F}{D}{Y}公用经费耗费几何"],
        "sg_actual": ["{F}{D}{Y}三公经费实打实耗了多少"],
        "sg_budget": ["{F}{D}{Y}三公经费预算批了多少"],
        "source": ["{F}{D}{Y}{S}到手多少钱", "{D}{Y}{S}落袋多少"],
    },
    "T_SUM": ["{F}{D}{A}、{B}叠加一下是多少钱", "{D}{Y}{A}和{B}一并算是多少", "{F}{D}{A}跟{B}打包算多少钱"],
    "T_SHARE": ["{F}{D}{A}占到{B}的多少%", "{D}{Y}{A}在{B}里占去多少，折成%说", "{F}{D}{A}在{B}里头占到几%，大头还是小头"],
    "T_SHARE_ROW_BASIC": ["{F}{D}{S}耗的钱里基本支出占到多少%"],
    "T_SHARE_SG_BUDGET": ["{F}{D}{Y}三公经费实打实耗的钱占到批了的预算多少%"],
    "T_DIFF": {"more": ["{F}{D}{A}比{B}多耗了多少钱", "{D}{Y}{A}和{B}的差值是多少", "{F}{D}{A}比{B}多出账多少"],
               "less": ["{F}{D}{A}比{B}少耗了多少钱", "{D}{Y}{A}和{B}的差值是多少", "{F}{D}{A}比{B}少出账多少"]},
    "T_DIFF_BP": {"more": ["{F}{D}{S}耗的钱里基本支出比项目经费多耗了多少"],
                  "less": ["{F}{D}{S}耗的钱里项目经费比基本支出多耗了多少"]},
    "T_DIFF_SG": {"less": ["{F}{D}{Y}三公经费批了的预算比实打实耗的多多少钱"],
                  "more": ["{F}{D}{Y}三公经费实打实耗的比批了的预算多多少钱"]},
    "T_DIFF_CARRY": {"more": ["{F}{D}{Y}年尾还趴着的结转结余比开年时带过来的多了多少"],
                     "less": ["{F}{D}{Y}年尾还趴着的结转结余比开年时带过来的少了多少"]},
    "T_CONV_FIRST": ["{F}{D}{Y}{S}耗了多少钱", "{D}{S}科目出账多少"],
    "T_CONV_NEXT": {"sibling": ["{B}咋样", "换{B}瞧瞧"], "basic": ["拆开看，基本支出有多少"],
                    "project": ["拆开看，项目经费有多少"], "share": ["占到全年总耗费的多少%"],
                    "sg_budget": ["预算批了多少"]},
    "T_UNANS": ["{F}{D}领导月薪是多少", "{D}领导是哪年上任的", "{F}{D}2013年{S}耗了多少钱",
                "{D}2009年全年总耗费是多少", "{F}{D}2008年到手多少钱", "{D}{Y}会议室装修找的哪个施工队",
                "{F}{D}{Y}收到多少条市民留言", "{D}职工平均年龄多大", "{F}{D}明年预算打算批多少"],
    "TABLE_NAMES": {"summary": ["收支那份总表", "收支总附表"], "income": ["收入那份表", "收入附表"],
                    "exp": ["支出那份表", "支出附表"], "fin_summary": ["财政拨款收支那份表"],
                    "gpb_exp": ["一般公共预算支出那份表"], "fiscal_exp": ["财政拨款支出那份表"],
                    "basic_econ": ["基本支出按经济分类那份表"], "sangong": ["三公经费那份表", "三公附表"],
                    "govfund": ["政府性基金那份表"]},
    "COLUMN_NAMES": {"total": ["合计那格"], "basic": ["基本支出那格"], "project": ["项目支出那格"],
                     "income_total": ["收入合计那格"], "fiscal_income": ["财政拨款收入那格"], "value": ["那格"]},
    "WHOLE_SPEND": ["全年总耗费", "全年耗的钱"],
    "WHOLE_SPEND_PAIR": ("全年总耗费",),
    "PART_NAMES": {"basic": "基本支出", "project": "项目经费"},
}
# A fifth batch, written while the lead studied batches b, c and d: none of these words is in batch a, b, c or d (their
# wording or questions), in gen_questions.py, or in the assistant's code (assistant/**/*.py) when they were written
# (COLLOQUIAL_E; tests/eval/test_heldout.py checks all of it), so batch e is the held-out yardstick after d.  It is
# phrased the way citizens type in WeChat (在吗, 哈喽, 那个啥, ？？, 🙏), reporters write (写稿要用), auditors and
# finance-bureau reviewers write (列支, 发生额, 动用, 审计核对：, 财政局审核：) and deputies ask (审议材料要用); it sets
# every key of WORDING_KEYS (no wording of a–d leaks in) and names the department by a rule of its own
# (department_names_e).
COLLOQUIAL_E = ["使了", "费了", "拿出去", "付出去", "列支", "发生额", "动用", "用度", "12个月",
                "全年度", "一年里头", "进项", "拨下来", "争取到", "来钱", "一加", "两样", "合在一块", "百分率",
                "吃掉", "多付", "少付", "多使", "少使", "差着", "省下", "12月底", "1月1号", "滚存", "存着", "单说",
                "单论", "来讲", "掰开", "那头", "项目性", "点开", "那个表", "竖列", "格子", "最后一行", "总开支",
                "额度", "预算定了", "口子", "对着", "写着", "同理", "再来个", "报一下", "在吗", "哈喽", "那个啥", "各位老师", "写稿", "审计核对", "财政局审核",
                "审议", "感恩", "辛苦了", "🙏", "食堂", "公众号", "粉丝", "接受审计", "办事大厅", "平米", "党组书记"]
WORDING_E = {
    "FILLERS": ["", "", "", "在吗？", "哈喽，", "那个啥，", "各位老师好，", "写稿要用，", "审计核对：", "财政局审核：",
                "审议材料要用，"],
    "TAILS": ["", "", "", "", "急", "感恩", "辛苦了", "🙏"],
    "MARKS": ["？", "？？", "？"],
    "T_SPEND": ["{F}{D}{Y}{S}使了多少钱", "{F}{D}{Y}{S}列支多少", "{S}这个口子{D}{Y}费了多少钱",
                "{F}{D}{Y}{S}的本年发生额是多少", "{F}{D}{Y}在{S}上动用了多少钱", "{D}{Y}{S}一年里头拿出去多少",
                "{F}{D}{S}12个月付出去多少钱"],
    "T_SPEND_FISCAL": ["{F}{D}{Y}单说财政拨款，{S}列支多少", "{F}{D}{S}就财政拨款来讲使了多少钱"],
    "T_SPEND_GPB": ["{F}{D}{Y}单说一般公共预算拨款，{S}列支多少", "{F}{D}{S}就一般公共预算拨款来讲使了多少钱"],
    "T_BASIC": ["{F}{D}{Y}{S}掰开来，基本支出那头使了多少", "{S}这个口子{D}基本支出那头列支多少钱"],
    "T_PROJECT": ["{F}{D}{Y}{S}掰开来，项目性支出使了多少", "{S}这个口子{D}项目支出那头列支多少钱"],
    "T_TABLE": ["{F}{D}点开{T}，{S}在{C}是多少", "{F}{T}里{S}对着{C}的格子是多少钱"],
    "T_TABLE_VALUE": ["{F}点开{T}，{S}的格子是多少", "{T}里{S}对着的格子写着多少"],
    "T_TOTAL": {
        "spend": ["{F}{D}{Y}12个月的总开支是多少钱", "{D}全年度一共拿出去多少钱"],
        "income": ["{F}{D}全年度进项一共多少", "{D}{Y}一年里头各路来钱合在一块多少"],
        "basic": ["{F}{D}{Y}基本支出那头一年里头使了多少", "{D}全年度基本支出列支多少"],
        "project": ["{F}{D}{Y}项目性支出一年里头使了多少", "{D}全年度项目支出那头列支多少钱"],
        "grand": ["{F}{D}点开收支总的那个表，最后一行的总计是多少"],
        "carry_end": ["{F}{D}{Y}到12月底结转结余还存着多少", "{D}{Y}12月底滚存下来的结转结余是多少钱"],
        "carry_begin": ["{F}{D}{Y}1月1号滚存进来的结转结余有多少钱"],
        "fiscal": ["{F}{D}{Y}单说财政拨款，12个月使了多少"],
        "gpb": ["{F}{D}{Y}单论一般公共预算拨款，12个月使了多少"],
        "staff": ["{F}{D}{Y}人员经费一年里头使了多少钱"],
        "office": ["{F}{D}{Y}公用经费的用度是多少"],
        "sg_actual": ["{F}{D}{Y}三公经费的本年发生额是多少"],
        "sg_budget": ["{F}{D}{Y}三公经费预算定了多少", "{D}{Y}三公经费的预算额度是多少"],
        "source": ["{F}{D}{Y}{S}拨下来多少钱", "{D}{Y}{S}的进项是多少", "{F}{D}{Y}争取到的{S}有多少"],
    },
    "T_SUM": ["{F}{D}{A}和{B}一加是多少钱", "{D}{Y}{A}、{B}这两样合在一块多少", "{F}{D}{A}跟{B}两样一加多少钱"],
    "T_SHARE": ["{F}{D}{A}在{B}里的百分率是多少", "{D}{Y}{A}吃掉了{B}的几%", "{F}{D}{A}对{B}来讲百分率多少"],
    "T_SHARE_ROW_BASIC": ["{F}{D}{S}使的钱里，基本支出那头的百分率是多少"],
    "T_SHARE_SG_BUDGET": ["{F}{D}{Y}三公经费的本年发生额是预算额度的百分率多少"],
    "T_DIFF": {"more": ["{F}{D}{A}比{B}多付出去多少钱", "{D}{Y}{A}和{B}两样差着多少钱", "{F}{D}{A}比{B}多使了多少"],
               "less": ["{F}{D}{A}比{B}少付出去多少钱", "{D}{Y}{A}和{B}两样差着多少钱", "{F}{D}{A}比{B}少使了多少"]},
    "T_DIFF_BP": {"more": ["{F}{D}{S}使的钱里，基本支出那头比项目性支出多使了多少"],
                  "less": ["{F}{D}{S}使的钱里，项目性支出比基本支出那头多使了多少"]},
    "T_DIFF_SG": {"less": ["{F}{D}{Y}三公经费比预算额度省下多少钱"],
                  "more": ["{F}{D}{Y}三公经费的本年发生额比预算额度多使了多少钱"]},
    "T_DIFF_CARRY": {"more": ["{F}{D}{Y}12月底存着的结转结余比1月1号的多存了多少"],
                     "less": ["{F}{D}{Y}12月底存着的结转结余比1月1号的少存了多少"]},
    "T_CONV_FIRST": ["{F}{D}{Y}{S}使了多少钱", "{D}{S}列支多少"],
    "T_CONV_NEXT": {"sibling": ["同理，{B}呢", "再来个{B}", "{B}也报一下"], "basic": ["掰开来，基本支出那头多少"],
                    "project": ["掰开来，项目性支出多少"], "share": ["在12个月的总开支里百分率是多少"],
                    "sg_budget": ["预算额度是多少"]},
    "T_UNANS": ["{F}{D}2006年{S}列支多少", "{D}2004年12个月的总开支是多少", "{F}{D}2007年进项一共多少",
                "{D}食堂一顿午饭几块钱", "{F}{D}公众号有多少粉丝", "{D}上一回接受审计是哪一年",
                "{F}{D}办事大厅周末开门吗", "{D}领导办公室多少平米", "{F}{D}党组书记是谁"],
    "TABLE_NAMES": {"summary": ["收支总的那个表"], "income": ["收入那个表"], "exp": ["支出那个表"],
                    "fin_summary": ["财政拨款收支那个表"], "gpb_exp": ["一般公共预算支出那个表"],
                    "fiscal_exp": ["财政拨款支出那个表"], "basic_econ": ["基本支出按经济科目那个表"],
                    "sangong": ["三公经费那个表"], "govfund": ["政府性基金那个表"]},
    "COLUMN_NAMES": {"total": ["合计那竖列"], "basic": ["基本支出那竖列"], "project": ["项目支出那竖列"],
                     "income_total": ["收入合计那竖列"], "fiscal_income": ["财政拨款收入那竖列"], "value": ["格子"]},
    "WHOLE_SPEND": ["12个月的总开支", "全年度总开支"],
    "WHOLE_SPEND_PAIR": ("全年度总开支",),
    "PART_NAMES": {"basic": "基本支出那头", "project": "项目性支出"},
}
# A sixth batch, written while batch e was being studied (it is a development set now): none of these words is in
# batch a, b, c, d or e (their wording or questions), in gen_questions.py, or in the assistant's code (assistant/**,
# prompts/, index/, ui/) when they were written (COLLOQUIAL_F; tests/eval/test_heldout.py checks all of it), so batch
# f is the held-out yardstick after e.  It is phrased the way people write on a forum (楼主求科普, 各位大佬), students
# and research groups write (毕业论文要用, 课题组核账), citizens write to a unit on a message board (同志你好, 领导好,
# 盼复, 不胜感激) and older people say it (搭进去, 整了, 这一摊, 年根); it sets every key of WORDING_KEYS (no wording of
# a–e leaks in) and names the department by a rule of its own (department_names_f).
COLLOQUIAL_F = ["搭进去", "整了", "往外付", "这一摊", "支用", "走账", "投了", "单拎", "横行",
                "往右看", "这一列", "那一页", "单子", "收支总览", "数目", "全算上", "通盘", "体量", "领到", "拨来",
                "拿到", "底部", "年根", "压着", "封账", "留着", "期初", "上年留下", "年初定的", "控制数", "并在一起",
                "再加上", "合共", "捏到一起", "分量", "用%表示", "占据", "算成%", "落差", "减掉", "减去", "出入", "剩了",
                "超了", "接着问", "捎带", "照这个", "分拆", "项目类支出", "楼主", "求科普", "各位大佬", "毕业论文",
                "课题组", "核账", "烦请", "叨扰", "同志你好", "领导好", "盼复", "坐等回复", "不胜感激", "麻烦啦", "抱拳",
                "官方微博", "停车位", "毕业", "公交", "体检", "春节值班"]
WORDING_F = {
    "FILLERS": ["", "", "", "楼主求科普：", "各位大佬，", "毕业论文要用，", "课题组核账：", "烦请告知：", "叨扰一下，",
                "同志你好，", "领导好，"],
    "TAILS": ["", "", "", "", "盼复", "坐等回复", "不胜感激", "麻烦啦", "抱拳"],
    "MARKS": ["？", "？", "?"],
    "T_SPEND": ["{F}{D}{Y}在{S}上搭进去多少钱", "{F}{D}{Y}{S}整了多少钱", "{F}{D}{Y}{S}往外付了多少",
                "{S}这一摊{D}{Y}开支多少", "{F}{D}{Y}{S}支用了多少钱", "{F}{D}{S}全年走账多少", "{D}{Y}给{S}投了多少钱"],
    "T_SPEND_FISCAL": ["{F}{D}{Y}{S}单拎财政拨款出来，支用了多少", "{F}{D}{S}走财政拨款的账支用多少钱"],
    "T_SPEND_GPB": ["{F}{D}{Y}{S}单拎一般公共预算拨款出来，支用了多少", "{F}{D}{S}走一般公共预算拨款的账支用多少钱"],
    "T_BASIC": ["{F}{D}{Y}{S}分拆开，基本支出支用了多少", "{S}这一摊{D}基本支出走账多少钱"],
    "T_PROJECT": ["{F}{D}{Y}{S}分拆开，项目类支出支用了多少", "{S}这一摊{D}项目支出走账多少钱"],
    "T_TABLE": ["{F}{D}{T}那一页，{S}这一横行在{C}是多少", "{F}{T}里{S}横着往右看，{C}是多少钱"],
    "T_TABLE_VALUE": ["{F}{T}那一页，{S}这一横行的数目是多少", "{T}里{S}横着往右看是多少钱"],
    "T_TOTAL": {
        "spend": ["{F}{D}{Y}全算上一共开支多少钱", "{D}{Y}通盘算，往外付了多少"],
        "income": ["{F}{D}{Y}各渠道的钱全算上领到多少", "{D}{Y}通盘算收入体量有多大"],
        "basic": ["{F}{D}{Y}基本支出全算上走账多少", "{D}{Y}基本支出通盘算开支多少钱"],
        "project": ["{F}{D}{Y}项目类支出全算上走账多少", "{D}{Y}项目支出通盘算开支多少钱"],
        "grand": ["{F}{D}收支总览那张单子底部的总计是多少"],
        "carry_end": ["{F}{D}{Y}到年根还压着多少结转结余", "{D}{Y}封账时结转结余还留着多少钱"],
        "carry_begin": ["{F}{D}{Y}期初从上年留下的结转结余有多少"],
        "fiscal": ["{F}{D}{Y}单拎财政拨款出来，全年支用多少"],
        "gpb": ["{F}{D}{Y}单拎一般公共预算拨款出来，全年支用多少"],
        "staff": ["{F}{D}{Y}人员经费走账多少钱"],
        "office": ["{F}{D}{Y}公用经费支用了多少"],
        "sg_actual": ["{F}{D}{Y}三公经费实际往外付了多少"],
        "sg_budget": ["{F}{D}{Y}三公经费年初定的预算是多少", "{D}{Y}三公经费的预算控制数是多少"],
        "source": ["{F}{D}{Y}{S}领到多少钱", "{D}{Y}{S}拨来多少", "{F}{D}{Y}{S}拿到了多少"],
    },
    "T_SUM": ["{F}{D}{A}和{B}并在一起是多少钱", "{D}{Y}{A}再加上{B}合共多少", "{F}{D}把{A}、{B}捏到一起算多少钱"],
    "T_SHARE": ["{F}{D}{A}在{B}里分量多重，用%表示", "{D}{Y}{A}占据{B}的多少%", "{F}{D}{A}占了{B}的多少，算成%"],
    "T_SHARE_ROW_BASIC": ["{F}{D}{S}开支的钱里，基本支出占据多少%"],
    "T_SHARE_SG_BUDGET": ["{F}{D}{Y}三公经费实际往外付的占年初定的预算多少%"],
    "T_DIFF": {"more": ["{F}{D}{A}比{B}多支用多少钱", "{D}{Y}{A}和{B}的落差有多大", "{F}{D}{A}减掉{B}是多少",
                        "{D}{A}跟{B}出入多少钱"],
               "less": ["{F}{D}{A}比{B}少支用多少钱", "{D}{Y}{A}和{B}的落差有多大", "{F}{D}拿{B}减去{A}是多少",
                        "{D}{A}跟{B}出入多少钱"]},
    "T_DIFF_BP": {"more": ["{F}{D}{S}开支的钱里，基本支出比项目类支出多走账多少"],
                  "less": ["{F}{D}{S}开支的钱里，项目类支出比基本支出多走账多少"]},
    "T_DIFF_SG": {"less": ["{F}{D}{Y}三公经费预算控制数减掉实际往外付的，还剩了多少"],
                  "more": ["{F}{D}{Y}三公经费实际往外付的超了预算控制数多少"]},
    "T_DIFF_CARRY": {"more": ["{F}{D}{Y}年根压着的结转结余比期初的增加多少"],
                     "less": ["{F}{D}{Y}年根压着的结转结余比期初的减少多少"]},
    "T_CONV_FIRST": ["{F}{D}{Y}{S}搭进去多少钱", "{D}{S}走账多少"],
    "T_CONV_NEXT": {"sibling": ["接着问，{B}呢", "{B}捎带也说下", "照这个，{B}是多少"],
                    "basic": ["分拆开，基本支出是多少"], "project": ["分拆开，项目类支出是多少"],
                    "share": ["这笔在全年开支总体量里分量多重，用%表示"], "sg_budget": ["年初定的预算呢"]},
    "T_UNANS": ["{F}{D}2003年{S}走账多少", "{D}2005年全算上一共开支多少钱", "{F}{D}2001年领到多少钱",
                "{D}官方微博叫什么名字", "{F}{D}院里有几个停车位", "{D}负责人是哪所学校毕业的",
                "{F}{D}门口坐几路公交能到", "{D}员工每年体检去哪家医院", "{F}{D}春节值班表怎么排的"],
    "TABLE_NAMES": {"summary": ["收支总览那张单子"], "income": ["收入那张单子"], "exp": ["支出那张单子"],
                    "fin_summary": ["财政拨款收支那张单子"], "gpb_exp": ["一般公共预算支出那张单子"],
                    "fiscal_exp": ["财政拨款支出那张单子"], "basic_econ": ["基本支出按经济分类那张单子"],
                    "sangong": ["三公经费那张单子"], "govfund": ["政府性基金那张单子"]},
    "COLUMN_NAMES": {"total": ["合计这一列"], "basic": ["基本支出这一列"], "project": ["项目支出这一列"],
                     "income_total": ["收入合计这一列"], "fiscal_income": ["财政拨款收入这一列"], "value": ["数目"]},
    "WHOLE_SPEND": ["全年开支总体量", "全年开支总量"],
    "WHOLE_SPEND_PAIR": ("全年开支总体量",),
    "PART_NAMES": {"basic": "基本支出", "project": "项目类支出"},
}
BATCHES = ("a", "b", "c", "d", "e", "f")


def wording(batch: str) -> dict:
    """The templates of a batch of wording (a: the first, b: written after a was seen, c: after b was, d: while
    b and c were studied, e: while b, c and d were, f: while e was)."""
    base = {k: globals()[k] for k in WORDING_KEYS}
    return base if batch == "a" else {**base, **{"b": WORDING_B, "c": WORDING_C, "d": WORDING_D, "e": WORDING_E,
                                                 "f": WORDING_F}[batch]}


# ---------------------------------------------------------------- department names

PLACE_RE = re.compile(r"^(?:[^省市区县]{2,3}(?:省|自治区))?(?:[^省市区县]{2,3}市)?(?P<dist>[^省市区县]{2,3}(?:区|县))?")
ORG_SUFFIXES = ["委员会", "办公室", "大学", "学院", "中心", "局", "委", "办", "院", "所", "站", "厅", "部"]
SUFFIX_SHORT = {"大学": "大", "委员会": "委", "办公室": "办"}


def department_names(full: str) -> list[str]:
    """Names people use for a department, derived from the structure of its full name.

    Place prefixes (省/市/区/县) are dropped or kept as the district's short name; the body is
    cut into two-character words: with 和/与/及 the first word of the first part and the last of
    the last part remain (规划和自然资源局 → 规划资源局, 规资局); otherwise three or more words keep the
    first and the initials of the rest (市场监督管理局 → 市场监管局, 市监局), two words their initials
    (企业服务中心 → 企服中心), one word its initial with the suffix shortened (西南大学 → 西大).
    """
    m = PLACE_RE.match(full)
    dist = (m.group("dist") or "") if m else ""
    core = full[m.end():] if m else full
    suffix = next((s for s in ORG_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
    body = core[: len(core) - len(suffix)]
    parts = [p for p in re.split("[和与及]", body) if p]
    words = [[p[i:i + 2] for i in range(0, len(p), 2)] for p in parts]
    short_suffix = SUFFIX_SHORT.get(suffix, suffix)
    forms: list[str] = []
    if len(parts) >= 2:
        forms += [words[0][0] + words[-1][-1] + suffix, words[0][0][0] + words[-1][-1][0] + short_suffix]
    else:
        w = words[0] if words else [body]
        if len(w) >= 3:
            forms += [w[0] + "".join(x[0] for x in w[1:]) + suffix, w[0][0] + w[1][0] + short_suffix]
        elif len(w) == 2:
            forms += ["".join(x[0] for x in w) + suffix]
        else:
            forms += [w[0][0] + short_suffix]
    names = list(forms)
    if dist:
        d = dist[:-1]
        names += [d + forms[0], dist + forms[0]]
    names += [core]
    return list(OrderedDict.fromkeys(n for n in names if n and n != full))


INSIDER = {"大学": "学校", "学院": "学院", "委员会": "委里", "办公室": "办里"}     # what staff call their own unit


def department_names_c(full: str) -> list[str]:
    """Batch c's names for a department, by another rule over the same structure of the full name.

    The org suffix is dropped and the district's short name kept before the initials (规划和自然资源局 →
    普陀规资, 市场监督管理局 → 汉阳市监, 企业服务中心 → 汉阳企服); the district level stays as 区 before the
    short form with its suffix (区规资局, 区市监局); three or more words or a 和-name keep only the first
    word and the suffix (规划局, 市场局); insiders say 咱们 + the kind of unit (咱们局, 咱们中心, 咱们学校);
    a one-word name without a place is said in full (西南大学).
    """
    m = PLACE_RE.match(full)
    dist = (m.group("dist") or "") if m else ""
    core = full[m.end():] if m else full
    suffix = next((s for s in ORG_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
    body = core[: len(core) - len(suffix)]
    parts = [p for p in re.split("[和与及]", body) if p]
    words = [[p[i:i + 2] for i in range(0, len(p), 2)] for p in parts]
    short_suffix = SUFFIX_SHORT.get(suffix, suffix)
    w = words[0] if words else [body]
    if len(parts) >= 2:
        initials = words[0][0][0] + words[-1][-1][0]
    elif len(w) >= 3:
        initials = w[0][0] + w[1][0]
    elif len(w) == 2:
        initials = "".join(x[0] for x in w)
    else:
        initials = ""
    names: list[str] = []
    if dist and initials:
        names.append(dist[:-1] + initials)
        if len(parts) >= 2 or len(w) >= 3:
            names.append(dist[-1] + initials + short_suffix)
    if len(parts) >= 2 or len(w) >= 3:
        names.append(w[0] + suffix)
    if suffix:
        names.append("咱们" + INSIDER.get(suffix, suffix))
    if not dist and len(w) == 1:
        names.append(core)
    return list(OrderedDict.fromkeys(n for n in names if n))


UNIT_KIND = {"大学": "校", "学院": "院", "委员会": "委", "办公室": "办"}    # 该校, 贵院: the kind of unit in one word


def department_names_d(full: str) -> list[str]:
    """Batch d's names for a department, by a fourth rule over the same structure of the full name.

    The initial of every part (a 和-name) or of every two-character word (three or more words) before the
    whole suffix (规划和自然资源局 → 规自局, 市场监督管理局 → 市监管局); the name without its city but with the
    district in full (汉阳区企业服务中心, 普陀区规划和自然资源局); and the way reporters and auditors write of a
    unit (该 + its kind: 该局, 该中心, 该校) and the way a letter to it does (贵 + its kind: 贵局, 贵校).
    """
    m = PLACE_RE.match(full)
    dist = (m.group("dist") or "") if m else ""
    core = full[m.end():] if m else full
    suffix = next((s for s in ORG_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
    body = core[: len(core) - len(suffix)]
    parts = [p for p in re.split("[和与及]", body) if p]
    words = [[p[i:i + 2] for i in range(0, len(p), 2)] for p in parts]
    w = words[0] if words else [body]
    names: list[str] = []
    if len(parts) >= 2:
        names.append("".join(p[0] for p in parts) + suffix)
    elif len(w) >= 3:
        names.append("".join(x[0] for x in w) + suffix)
    if dist:
        names.append(dist + core)
    if suffix:
        kind = UNIT_KIND.get(suffix, suffix)
        names += ["该" + kind, "贵" + kind]
    return list(OrderedDict.fromkeys(n for n in names if n and n != full))


ORGAN_SUFFIXES = ("局", "委", "办", "厅", "委员会", "办公室")      # organs of government: people say …部门 of them
MEASURE_WORD = {"大学": "所", "学院": "所"}                       # 这所大学; else 这个 (这个局, 这个中心)


def department_names_e(full: str) -> list[str]:
    """Batch e's names for a department, by a fifth rule over the same structure of the full name.

    An organ of government (…局/委/办) is called by its line of work + 部门, the way citizens and the press say it:
    the first word of the first part and the last word of the last part of a 和-name (规划和自然资源局 → 规划资源部门),
    or the first word and the initials of the rest (市场监督管理局 → 市场监管部门); an outsider's 他们 + the kind of
    unit (他们局, 他们中心, 他们学校); and 这 + its measure word + the suffix (这个局, 这个中心, 这所大学).
    """
    m = PLACE_RE.match(full)
    core = full[m.end():] if m else full
    suffix = next((s for s in ORG_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
    body = core[: len(core) - len(suffix)]
    parts = [p for p in re.split("[和与及]", body) if p]
    words = [[p[i:i + 2] for i in range(0, len(p), 2)] for p in parts]
    w = words[0] if words else [body]
    names: list[str] = []
    if len(parts) >= 2:
        line = words[0][0] + words[-1][-1]
    elif len(w) >= 3:
        line = w[0] + "".join(x[0] for x in w[1:])
    else:
        line = ""
    if line and suffix in ORGAN_SUFFIXES:
        names.append(line + "部门")
    if suffix:
        names += ["他们" + INSIDER.get(suffix, suffix), "这" + MEASURE_WORD.get(suffix, "个") + suffix]
    return list(OrderedDict.fromkeys(n for n in names if n and n != full))


def department_names_f(full: str) -> list[str]:
    """Batch f's names for a department, by a sixth rule over the same structure of the full name.

    The way a citizen writes to the unit on a message board, in the second person: 你们 + the kind of unit (你们局,
    你们中心, 你们学校); the way someone who does not know the name describes it, by what it is in charge of: 管 + the
    whole body of the name (with its 和) + 的那个 + the short suffix (管规划和自然资源的那个局, 管市场监督管理的那个局,
    管企业服务的那个中心, 管发展和改革的那个委) for a body of two or more words; and a university's administration as
    the press names it (校方).
    """
    m = PLACE_RE.match(full)
    core = full[m.end():] if m else full
    suffix = next((s for s in ORG_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
    body = core[: len(core) - len(suffix)]
    parts = [p for p in re.split("[和与及]", body) if p]
    words = [[p[i:i + 2] for i in range(0, len(p), 2)] for p in parts]
    names: list[str] = []
    if suffix:
        names.append("你们" + INSIDER.get(suffix, suffix))
    if suffix and suffix not in ("大学", "学院") and (len(parts) >= 2 or sum(len(w) for w in words) >= 2):
        names.append("管" + body + "的那个" + SUFFIX_SHORT.get(suffix, suffix))
    if suffix in ("大学", "学院"):
        names.append("校方")
    return list(OrderedDict.fromkeys(n for n in names if n and n != full))


# ---------------------------------------------------------------- reading a hand-verified .txt

TITLE_RE = re.compile(r"^\s*(?:\d{4}\s*年度?)\s*(?P<title>\S.*表)\s*$")
NUM_RE = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def table_kind(title: str) -> str:
    """The kind of a 决算 table from the words of its title."""
    t = re.sub(r"\s+", "", title)
    if "三公" in t:
        return "sangong"
    if "基本支出" in t:
        return "basic_econ"
    if "政府性基金" in t:
        return "govfund"
    if "国有资本" in t:
        return "soe"
    if "财政拨款收入支出决算总表" in t:
        return "fin_summary"
    if "总表" in t:
        return "summary"
    if "收入决算表" in t:
        return "income"
    if "一般公共预算" in t and "支出决算表" in t:
        return "gpb_exp"
    if "财政拨款支出决算表" in t:
        return "fiscal_exp"
    if "支出决算表" in t:
        return "exp"
    return "other"


# Value columns of each row-per-subject table, in print order (the header must contain each name).
ROW_TABLE_COLUMNS = {
    "income": ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
    "exp": ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
    "gpb_exp": ["本年支出 › 小计", "本年支出 › 基本支出", "本年支出 › 项目支出"],
    "govfund": ["年初结转和结余", "本年收入", "本年支出 › 小计", "本年支出 › 基本支出", "本年支出 › 项目支出", "年末结转和结余"],
    "soe": ["本年支出 › 合计", "本年支出 › 基本支出", "本年支出 › 项目支出"],
}
SANGONG_ITEMS = ["合计", "因公出国（境）费", "公务用车购置及运行费小计", "公务用车购置费", "公务用车运行费", "公务接待费"]
SANGONG_PATHS = ["合计", "因公出国（境）费", "公务用车购置及运行费 › 小计", "公务用车购置及运行费 › 公务用车购置费",
                 "公务用车购置及运行费 › 公务用车运行费", "公务接待费"]


def _num(s: str) -> float | None:
    s = s.strip().replace(",", "")
    if not s or not NUM_RE.match(s):
        return None
    return float(s)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def split_tables(text: str) -> list[dict]:
    """Tables of a report text: title, unit, header lines and data lines (TAB-separated)."""
    lines = text.splitlines()
    tables = []
    i = 0
    while i < len(lines):
        m = TITLE_RE.match(lines[i])
        if m and "\t" not in lines[i] and "决算" in lines[i]:
            j = i + 1
            unit, rows = "万元", []
            while j < len(lines) and not lines[j].lstrip().startswith("注") and not TITLE_RE.match(lines[j]):
                s = lines[j]
                if s.startswith("单位："):
                    unit = s.split("：", 1)[1].strip()
                elif "\t" in s:
                    rows.append(s)
                j += 1
            if rows:
                tables.append({"title": _squash(m.group("title")), "unit": unit, "lines": rows})
            i = j
        else:
            i += 1
    return tables


def _header_and_data(lines: list[str], kind: str) -> tuple[str, list[list[str]]]:
    """Split a table's lines into its header text and its data rows."""
    header, data, in_data = [], [], False
    for s in lines:
        f = s.split("\t")
        nonblank = [x.strip() for x in f if x.strip()]
        if not in_data:
            header.append(s)
            if kind in ("summary", "fin_summary") and nonblank and nonblank[0] == "栏次":
                in_data = True
            elif kind in ROW_TABLE_COLUMNS and nonblank and "栏次" in "".join(header) and (
                    all(re.fullmatch(r"\d{1,2}", x) for x in nonblank)
                    or ("栏次" in nonblank and re.fullmatch(r"\d{1,2}", nonblank[-1]))):
                in_data = True
            elif kind == "sangong" and nonblank and all(re.fullmatch(r"\d{1,2}", x) for x in nonblank) and len(nonblank) >= 6:
                in_data = True
            elif kind == "basic_econ" and nonblank and nonblank[0] in ("科目代码", "科目编码"):
                in_data = True
            continue
        data.append(f)
    return _squash("".join(header)), data


def cells_from_text(text: str) -> list[dict]:
    """Every printed numeric cell of the 部门决算 tables of a report text (武汉 公开NN表 layout)."""
    out: list[dict] = []
    for t in split_tables(text):
        kind = table_kind(t["title"])
        scale = 1e-4 if t["unit"] == "元" else 1.0
        header, data = _header_and_data(t["lines"], kind)

        def add(label, column, raw, code=None, parent=None):
            v = _num(raw)
            if v is None or not label:
                return
            cell = {"table": t["title"], "label": label, "code": code, "value": round(v * scale, 6),
                    "percent": False, "column": column, "page": None}
            if parent:
                cell["parent"] = parent
            if scale != 1.0:
                cell["printed"] = f"{raw.strip()} {t['unit']}"
            out.append(cell)

        if kind in ("summary", "fin_summary"):
            in_col = "收入 › 决算数"          # printed 决算数 or 金额: one name, as in the Shanghai cells
            out_cols = ["支出 › 决算数"] if kind == "summary" else \
                ["支出 › 合计", "支出 › 一般公共预算财政拨款", "支出 › 政府性基金预算财政拨款", "支出 › 国有资本经营预算财政拨款"]
            if kind == "fin_summary":
                assert all(_squash(c.split(SEP)[1]) in header for c in out_cols), f"unexpected header: {header}"
            parent = None
            for f in data:
                f = f + [""] * (3 + 2 + len(out_cols) - len(f))
                lab = _squash(f[0])
                if lab.startswith("年初") or lab.startswith("上年"):
                    parent = lab
                elif re.match(r"^[一二三四五六七八九十]+、|^本年|^总计|^使用|^结余", lab):
                    parent = None
                add(lab, in_col, f[2], parent=parent if parent != lab else None)
                olab = _squash(f[3])
                for col, raw in zip(out_cols, f[5:5 + len(out_cols)]):
                    add(olab, col, raw)
        elif kind in ROW_TABLE_COLUMNS:
            cols = ROW_TABLE_COLUMNS[kind]
            for c in cols:
                assert _squash(c.split(SEP)[-1]) in header, f"{t['title']}: column {c} not in header {header}"
            n = len(cols)
            for f in data:
                if len(f) < n + 1:
                    continue
                label = " ".join(x.strip() for x in f[:-n] if x.strip())
                m = re.match(r"^(\d{3}(?:\d{2}){0,2})\s*(\S.*)$", label)
                code = m.group(1) if m else None
                label = f"{code} {_squash(m.group(2))}" if m else _squash(label)
                for col, raw in zip(cols, f[-n:]):
                    add(label, col, raw, code=code)
        elif kind == "basic_econ":
            for f in data:
                f = f + [""] * (9 - len(f))
                if _squash(f[0]).endswith("合计"):
                    add(_squash(f[0]), "决算数", f[2])
                    vals = [x for x in f[4:] if x.strip()]
                    if _squash(f[3]).endswith("合计") and vals:
                        add(_squash(f[3]), "决算数", vals[-1])
                    continue
                for g in range(0, 9, 3):
                    code, name, raw = f[g].strip(), _squash(f[g + 1]), f[g + 2]
                    if re.fullmatch(r"\d{3,5}", code) and name:
                        add(f"{code} {name}", "决算数", raw, code=code)
        elif kind == "sangong":
            for f in data:
                vals = [x for x in f if x.strip()]
                if len(vals) < 6:
                    continue
                raws = f[:12] if len(f) >= 12 else f + [""] * (12 - len(f))
                for k, stage in enumerate(("预算数", "决算数")):
                    for item, path, raw in zip(SANGONG_ITEMS, SANGONG_PATHS, raws[6 * k: 6 * k + 6]):
                        add(item, f"{stage} › {path}", raw)
    return out


# ---------------------------------------------------------------- checking derived cells against printed totals


def _close(a: float, b: float, tol: float = 0.015) -> bool:
    return abs(a - b) <= tol


def check_cells(cells: list[dict]) -> list[str]:
    """Identities the printed tables must satisfy; returns one line per failure (empty: all hold)."""
    bad: list[str] = []
    by_table: dict[str, list[dict]] = defaultdict(list)
    for c in cells:
        by_table[c["table"]].append(c)

    def val(rows, label_pred, column):
        hits = [r["value"] for r in rows if label_pred(r) and r["column"] == column]
        return hits[0] if hits else 0.0

    for title, rows in by_table.items():
        kind = table_kind(title)
        if kind in ROW_TABLE_COLUMNS:
            cols = ROW_TABLE_COLUMNS[kind]
            codes = {r["code"] for r in rows if r["code"]}
            for col in cols:
                colrows = {r["code"]: r["value"] for r in rows if r["code"] and r["column"] == col}
                total = val(rows, lambda r: r["label"] == "合计", col)
                tops = sum(v for k, v in colrows.items() if len(k) == 3)
                if not _close(total, tops):
                    bad.append(f"{title} [{col}] 合计 {total} ≠ Σ类 {tops:.2f}")
                for parent in codes:
                    kids = [v for k, v in colrows.items() if len(k) == len(parent) + 2 and k.startswith(parent)]
                    if kids and not _close(colrows.get(parent, 0.0), sum(kids)):
                        bad.append(f"{title} [{col}] {parent} {colrows.get(parent, 0.0)} ≠ Σ下级 {sum(kids):.2f}")
            labels = OrderedDict.fromkeys(r["label"] for r in rows)
            for lab in labels:
                v = {r["column"]: r["value"] for r in rows if r["label"] == lab}
                if kind in ("income", "exp"):
                    parts = sum(v.get(c, 0.0) for c in cols[1:])
                    if not _close(v.get(cols[0], 0.0), parts):
                        bad.append(f"{title} {lab}: {cols[0]} {v.get(cols[0], 0.0)} ≠ Σ {parts:.2f}")
                elif kind in ("gpb_exp", "soe"):
                    if not _close(v.get(cols[0], 0.0), v.get(cols[1], 0.0) + v.get(cols[2], 0.0)):
                        bad.append(f"{title} {lab}: 小计 ≠ 基本 + 项目")
                elif kind == "govfund":
                    g = [v.get(c, 0.0) for c in cols]
                    if not _close(g[2], g[3] + g[4]) or not _close(g[5], g[0] + g[1] - g[2]):
                        bad.append(f"{title} {lab}: 结转/支出恒等式不成立 {g}")
        elif kind in ("summary", "fin_summary"):
            incol = next(r["column"] for r in rows if r["column"].startswith("收入"))
            outcols = OrderedDict.fromkeys(r["column"] for r in rows if r["column"].startswith("支出"))
            enum = re.compile(r"^[一二三四五六七八九十]+、")
            inc = sum(r["value"] for r in rows if r["column"] == incol and enum.match(r["label"]))
            tot_in = val(rows, lambda r: r["label"] == "本年收入合计", incol)
            if not _close(inc, tot_in):
                bad.append(f"{title}: 本年收入合计 {tot_in} ≠ Σ收入项 {inc:.2f}")
            for oc in outcols:
                exp = sum(r["value"] for r in rows if r["column"] == oc and enum.match(r["label"]))
                tot_out = val(rows, lambda r: r["label"] == "本年支出合计", oc)
                if not _close(exp, tot_out):
                    bad.append(f"{title} [{oc}]: 本年支出合计 {tot_out} ≠ Σ支出类 {exp:.2f}")
                rest = sum(r["value"] for r in rows if r["column"] == oc and not enum.match(r["label"])
                           and r["label"] not in ("总计", "本年支出合计"))
                grand = val(rows, lambda r: r["label"] == "总计", oc)
                if not _close(grand, tot_out + rest):
                    bad.append(f"{title} [{oc}]: 总计 {grand} ≠ 本年支出合计 + 结转 {tot_out + rest:.2f}")
            rest_in = sum(r["value"] for r in rows if r["column"] == incol and not enum.match(r["label"])
                          and r["label"] not in ("总计", "本年收入合计") and not r.get("parent"))
            grand_in = val(rows, lambda r: r["label"] == "总计", incol)
            if not _close(grand_in, tot_in + rest_in):
                bad.append(f"{title}: 收入总计 {grand_in} ≠ 本年收入合计 + 结转 {tot_in + rest_in:.2f}")
            kids = [r for r in rows if r.get("parent")]
            if kids:
                pv = val(rows, lambda r: r["label"] == kids[0]["parent"], incol)
                if not _close(pv, sum(r["value"] for r in kids)):
                    bad.append(f"{title}: {kids[0]['parent']} {pv} ≠ Σ其中 {sum(r['value'] for r in kids):.2f}")
        elif kind == "basic_econ":
            items = {r["code"]: r["value"] for r in rows if r["code"]}
            for k, v in items.items():
                if len(k) == 3:
                    kids = [x for c, x in items.items() if len(c) == 5 and c.startswith(k)]
                    if kids and not _close(v, sum(kids)):
                        bad.append(f"{title}: {k} {v} ≠ Σ {sum(kids):.2f}")
            staff = val(rows, lambda r: r["label"] == "人员经费合计", "决算数")
            office = val(rows, lambda r: r["label"] == "公用经费合计", "决算数")
            if not _close(staff, items.get("301", 0.0) + items.get("303", 0.0)):
                bad.append(f"{title}: 人员经费合计 {staff} ≠ 301 + 303")
            oth = sum(v for k, v in items.items() if len(k) == 3 and k not in ("301", "303"))
            if not _close(office, oth):
                bad.append(f"{title}: 公用经费合计 {office} ≠ Σ其他类 {oth:.2f}")
        elif kind == "sangong":
            for stage in ("预算数", "决算数"):
                v = {r["column"].split(SEP, 1)[1]: r["value"] for r in rows if r["column"].startswith(stage)}
                if not v:
                    continue
                car = v.get(SANGONG_PATHS[2], 0.0)
                if not _close(car, v.get(SANGONG_PATHS[3], 0.0) + v.get(SANGONG_PATHS[4], 0.0), 0.0002) or \
                        not _close(v.get("合计", 0.0), v.get(SANGONG_PATHS[1], 0.0) + car + v.get("公务接待费", 0.0), 0.0002):
                    bad.append(f"{title} [{stage}]: 合计/小计恒等式不成立")
    present = {table_kind(t) for t in by_table}
    for kind in ("summary", "income", "exp", "fin_summary", "gpb_exp", "basic_econ"):
        if kind not in present:
            bad.append(f"no cells read from the {kind} table")
    # across tables: the same totals printed twice
    kinds = {table_kind(t): rows for t, rows in by_table.items()}
    pairs = [(("summary", "本年收入合计", "收入 › 决算数"), ("income", "合计", "本年收入合计")),
             (("summary", "本年支出合计", "支出 › 决算数"), ("exp", "合计", "本年支出合计")),
             (("fin_summary", "本年支出合计", "支出 › 一般公共预算财政拨款"), ("gpb_exp", "合计", "本年支出 › 小计")),
             (("gpb_exp", "合计", "本年支出 › 基本支出"), ("basic_econ", "人员经费合计+公用经费合计", "决算数"))]
    for (ka, la, ca), (kb, lb, cb) in pairs:
        if ka not in kinds or kb not in kinds:
            continue
        a = sum(val(kinds[ka], lambda r, x=x: r["label"] == x, ca) for x in la.split("+"))
        b = sum(val(kinds[kb], lambda r, x=x: r["label"] == x, cb) for x in lb.split("+"))
        if not _close(a, b):
            bad.append(f"{ka} {la} {a} ≠ {kb} {lb} {b}")
    return bad


# ---------------------------------------------------------------- the report as rows and measures


def canon(name: str) -> str:
    """The words a reader would use for a row: no code, enumeration, level mark, 其中, trailing 支出."""
    s = _squash(name).replace("(", "（").replace(")", "）")
    s = re.sub(r"^\d{3,7}", "", s)
    s = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", "", s)
    s = re.sub(r"^(?:其中|减|加)[：:]", "", s)
    s = re.sub(r"（(?:类|款|项)）$", "", s)
    s = s.replace("费用", "费").replace("运行维护费", "运行费").replace("“", "").replace("”", "")
    if len(s) > 2:
        s = re.sub(r"(?:小计|合计)$", "", s)
    if len(s) > 4 and s.endswith("支出"):
        s = s[:-2]
    return s


def spoken(label: str) -> str:
    """A row's printed name as people say it: no code, enumeration or level mark; 支出 dropped from
    long names unless that leaves a dangling word (…安排的, 资本性)."""
    s = _squash(label).replace("(", "（").replace(")", "）")
    s = re.sub(r"^\d{3,7}", "", s)
    s = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", "", s)
    s = re.sub(r"^(?:其中|减|加)[：:]", "", s)
    s = re.sub(r"（(?:类|款|项)）$", "", s)
    s = re.sub(r"(?<=.{2})(?:小计|合计)$", "", s).replace("“", "").replace("”", "")
    if len(s) > 4 and s.endswith("支出") and s[-3] not in "的性":
        s = s[:-2]
    return s


class Cell:
    __slots__ = ("table", "kind", "label", "code", "value", "column", "name", "say", "ident", "measure", "scope", "group")

    def key(self) -> list[str]:
        return [self.table, self.label, self.column]

    def ref(self) -> str:
        v = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return f"{self.table} [{self.label} | {self.column}] = {v}"


def _measure(kind: str, column: str) -> tuple[str | None, str]:
    """(measure, scope) of a column: measure in spend/basic/project/income/fiscal_income/budget/other."""
    col = _squash(column)
    leaf = col.split("›")[-1]
    if kind == "summary":
        return ("spend" if col.startswith("支出") else "income"), "all"
    if kind == "fin_summary":
        if col.startswith("收入"):
            return "fiscal_income", "fiscal"
        if "一般公共预算" in col:
            return "spend", "gpb"
        if leaf == "合计":
            return "spend", "fiscal"
        return "other", "fiscal"
    if kind == "exp":
        return {"本年支出合计": "spend", "合计": "spend", "基本支出": "basic", "项目支出": "project"}.get(leaf, "other"), "all"
    if kind in ("gpb_exp", "fiscal_exp", "soe"):
        scope = "gpb" if kind == "gpb_exp" else "fiscal"
        if leaf.startswith("其中"):
            return "other", scope
        if "项目支出" in col:
            return "project", scope
        if leaf == "基本支出":
            return "basic", scope
        return "spend", scope
    if kind == "income":
        if leaf == "本年收入合计":
            return "income", "all"
        return ("fiscal_income" if leaf == "财政拨款收入" else "other"), "all"
    if kind == "basic_econ":
        return "spend", "gpb"
    if kind == "sangong":
        return ("spend" if "决算" in col else "budget"), "gpb"
    if kind == "govfund":
        return ("spend" if "本年支出" in col and leaf == "小计" else "other"), "fiscal"
    return "other", "all"


class Book:
    """A report's cells indexed by row identity, measure and scope."""

    def __init__(self, raw: list[dict]):
        self.cells: list[Cell] = []
        class_codes = {}
        for r in raw:
            if r.get("code") and len(str(r["code"])) == 3 and table_kind(r["table"]) in ("exp", "gpb_exp", "fiscal_exp", "income"):
                class_codes.setdefault(canon(r["label"]), str(r["code"]))
        for r in raw:
            if r.get("value") is None or r.get("percent"):
                continue
            c = Cell()
            c.table, c.kind, c.label = r["table"], table_kind(r["table"]), r["label"]
            c.code = str(r["code"]) if r.get("code") else None
            c.value, c.column = float(r["value"]), r.get("column") or ""
            c.measure, c.scope = _measure(c.kind, c.column)
            c.group = r.get("parent")
            lab = _squash(c.label)
            if c.kind == "sangong":
                item = self._sg_item(lab, c.column)
                c.name, c.ident = item, ("sg", canon(item))
            elif c.kind == "basic_econ":
                if lab.endswith("经费合计") or lab in ("人员经费", "公用经费"):
                    c.name = lab.replace("合计", "")
                    c.ident = ("econ_group", c.name)
                else:
                    c.name, c.ident = canon(lab), ("econ", c.code or canon(lab))
            else:
                c.name = canon(lab)
                if c.code:
                    c.ident = ("func", c.code)
                elif c.kind in ("summary", "fin_summary") and lab in ("合计", "总计"):
                    c.ident = ("total", "总计")     # a university 收支决算总表 prints its grand total as 合计
                elif lab in ("合计", "总计") or lab.startswith("本年") or "结转" in lab or "结余" in lab or lab.startswith("使用"):
                    c.ident = ("total", lab if lab != "合计" else "合计")
                elif c.kind in ("summary", "fin_summary") and c.column.startswith("支出"):
                    c.ident = ("func", class_codes.get(c.name, "?" + c.name))
                else:
                    c.ident = ("source", c.name)
            c.say = spoken(c.name if c.kind == "sangong" or c.ident[0] == "econ_group" else c.label)
            self.cells.append(c)

    @staticmethod
    def _sg_item(label: str, column: str) -> str:
        segs = [_squash(s) for s in column.split(SEP)]
        for s in reversed(segs):
            k = canon(s)
            if k in ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费", "公务用车购置及运行费"):
                return s.replace("运行维护费", "运行费").replace("(", "（").replace(")", "）")
        k = canon(label)
        if k in ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费", "公务用车购置及运行费"):
            return k
        return "三公经费"

    def find(self, **kw) -> list[Cell]:
        out = []
        for c in self.cells:
            if all((getattr(c, k) in v) if isinstance(v, (set, tuple, list)) else getattr(c, k) == v for k, v in kw.items()):
                out.append(c)
        return out

    # a bare name with a measure: which cells could the words mean?
    def readings(self, name: str, measure: str, scopes=("all", "fiscal", "gpb")) -> list[Cell]:
        return [c for c in self.cells if c.name == name and c.measure == measure and c.scope in scopes
                and c.ident[0] in ("func", "econ", "sg", "econ_group")]


def q2(x: Decimal | float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def q1(x: Decimal | float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def distinct(values) -> list[float]:
    out: list[float] = []
    for v in values:
        if all(abs(v - w) > 1e-9 for w in out):
            out.append(v)
    return sorted(out)


def compute(op: str, args: list[list[float]]) -> list[float]:
    """Accepted gold values of an operation over alternative operand values (the --verify arithmetic)."""
    if op == "lookup":
        return distinct(q2(v) for v in args[0])
    out = []
    for combo in itertools.product(*args):
        d = [Decimal(str(v)) for v in combo]
        if op == "sum":
            out.append(q2(sum(d)))
        elif op == "diff":
            out.append(q2(abs(d[0] - d[1])))
        elif op == "share":
            if d[1] == 0:
                continue
            r = d[0] * 100 / d[1]
            out += [q2(r), q1(r)]
    return distinct(out)


# ---------------------------------------------------------------- the generator


class Gen:
    def __init__(self, name: str, raw: list[dict], dept: str, year: int, batch: str = "a"):
        self.name, self.book, self.batch = name, Book(raw), batch
        self.year = year
        self.t = wording(batch)
        self.depts = {"c": department_names_c, "d": department_names_d,
                      "e": department_names_e, "f": department_names_f}.get(batch, department_names)(dept)
        self.rng = random.Random(zlib.crc32((name if batch == "a" else f"{name}-{batch}").encode("utf-8")))
        self.items: dict[str, list[dict]] = defaultdict(list)
        self.seen: set[str] = set()

    # -- wording helpers
    def D(self) -> str:
        r = self.rng.random()
        if r < 0.25:
            return ""
        return self.rng.choice(self.depts)

    def Y(self) -> str:
        return self.rng.choice(["", "", f"{self.year}年", f"{self.year}年度"])

    def F(self) -> str:
        return self.rng.choice(self.t["FILLERS"])

    def fill(self, template: str, **slots) -> str:
        s = template.format(F=self.F(), D=self.D(), Y=self.Y(), T=slots.pop("T", ""), **slots)
        s = s.replace("的的", "的")
        if self.rng.random() < 0.5:
            s += self.rng.choice(self.t["MARKS"]) if self.t.get("MARKS") else "？"     # d: "?" typed on a phone, e: ？？
        if self.t.get("TAILS"):                     # batches c, d, e: an ending now and then
            tail = self.rng.choice(self.t["TAILS"])
            s += ("，" + tail if not s.endswith(("？", "?")) else tail) if tail else ""
        return s

    # -- gold helpers
    @staticmethod
    def gold(op: str, operands: list[list[Cell]], unit: str) -> dict | None:
        args = [[c.value for c in cs] for cs in operands]
        if op == "share" and any(b and a * 100 / b < MIN_SHARE for a in args[0] for b in args[1]):
            return None
        values = compute(op, args)
        sym = {"lookup": "", "sum": " + ", "diff": " − ", "share": " ÷ "}[op]
        why = sym.join("(" + " 或 ".join(c.ref() for c in cs) + ")" for cs in operands)
        if op == "share":
            why += " × 100%（两位或一位小数）"
        return {"values": values, "unit": unit, "tol": 0.01 if unit == "%" else 0.005, "why": why,
                "from": {"op": op, "args": [[c.key() for c in cs] for cs in operands]}}

    def add(self, kind: str, question: str, qtype: str, gold: dict | None, turns: list[dict] | None = None):
        if (qtype in ("lookup", "calc") and not gold) or (turns and any("values" not in t and t["type"] != "unanswerable"
                                                                        for t in turns)):
            return
        key = re.sub(r"[？?。！!\s]", "", question)
        if key in self.seen:
            return
        self.seen.add(key)
        if turns:
            item = {"question": question, "type": "conversation", "turns": turns}
        else:
            item = {"question": question, "type": qtype}
            if gold:
                item.update(gold)
        self.items[kind].append(item)

    # -- which cells a bare name means
    def primary(self, ident, measure: str) -> list[Cell]:
        """The full-scope cells of a row for a measure, else its fiscal ones (the default reading)."""
        cs = [c for c in self.book.cells if c.ident == ident and c.measure == measure]
        full = [c for c in cs if c.scope == "all"]
        return full or cs

    def unambiguous(self, target: list[Cell], measure: str, name: str, allowed=None) -> bool:
        """No other row the same words could mean has another value."""
        if not target:
            return False
        ok = {q2(c.value) for c in target}
        idents = {c.ident for c in target}
        for c in self.book.readings(name, measure):
            if allowed is not None and not allowed(c):
                continue
            if c.ident in idents:
                continue
            if all(abs(c.value - v) > 0.005 for v in ok):
                return False
        vals = sorted(ok)
        return vals[-1] - vals[0] <= 0.02          # one row printed twice: a rounding difference at most

    def subject(self, ident, measure: str = "spend"):
        """(spoken name, cells) for a row asked by its bare name, else qualified, else None."""
        target = self.primary(ident, measure)
        if not target or all(c.value == 0 for c in target):
            return None
        name, say = target[0].name, target[0].say
        if self.unambiguous(target, measure, name):
            return say, target
        # qualify: the parent row, the economic group, or the 三公 table
        kind, key = ident
        if kind == "func" and len(key) >= 5:
            parent = next((c.say for c in self.book.cells if c.ident == ("func", key[:-2])), None)
            if parent and self.unambiguous(target, measure, name,
                                           allowed=lambda c: c.ident[0] == "func" and c.ident[1].startswith(key[:-2])):
                return f"{parent}下面的{say}", target
        if kind == "econ":
            group = "人员经费" if key[:3] in ("301", "303") else "公用经费"
            if self.unambiguous(target, measure, name, allowed=lambda c: c.ident[0] == "econ"):
                return f"{group}里的{say}", target
        if kind == "sg":
            if self.unambiguous(target, measure, name, allowed=lambda c: c.ident[0] == "sg"):
                return f"三公经费里的{say}", target
        return None

    # -- row pools
    def func_rows(self, nonzero_measure="spend") -> list:
        seen = OrderedDict()
        for c in self.book.cells:
            if c.ident[0] == "func" and not c.ident[1].startswith("?") and c.measure == nonzero_measure \
                    and c.scope == "all" and c.value:
                seen.setdefault(c.ident, c)
        return list(seen)

    def econ_rows(self) -> list:
        return list(OrderedDict.fromkeys(c.ident for c in self.book.cells if c.ident[0] == "econ" and c.value))

    def sg_rows(self) -> list:
        return list(OrderedDict.fromkeys(c.ident for c in self.book.cells if c.ident[0] == "sg" and c.value
                                         and c.measure == "spend" and c.ident[1] != "三公经费"))

    def total(self, measure: str, scope: str = "all") -> list[Cell]:
        """Cells of a table-wide total (合计 / 本年…合计) for a measure."""
        out = []
        for c in self.book.cells:
            if c.ident[0] != "total" or c.measure != measure or c.scope != scope:
                continue
            lab = _squash(c.label)
            if c.kind in ("summary", "fin_summary"):
                if lab == {"spend": "本年支出合计", "income": "本年收入合计"}.get(measure):
                    out.append(c)
            elif lab == "合计" and measure in ("spend", "income", "basic", "project"):
                out.append(c)
        return out

    # -- the kinds of question
    def gen_spend(self):
        pool = [(i, "spend") for i in self.func_rows()] + [(i, "spend") for i in self.econ_rows()] + \
               [(i, "spend") for i in self.sg_rows()]
        self.rng.shuffle(pool)
        for ident, m in pool:
            s = self.subject(ident, m)
            if s:
                S, cells = s
                self.add("spend", self.fill(self.rng.choice(self.t["T_SPEND"]), S=S), "lookup", self.gold("lookup", [cells], "万元"))

    def gen_scoped(self):
        for ident in self.func_rows():
            fiscal = [c for c in self.book.cells if c.ident == ident and c.measure == "spend" and c.scope in ("fiscal", "gpb")]
            if not fiscal or not any(c.value for c in fiscal):
                continue
            name = fiscal[0].name
            for scope, templates in (("gpb", self.t["T_SPEND_GPB"]), ("fiscal", self.t["T_SPEND_FISCAL"])):
                # 财政拨款 is every fiscal fund (the 合计 of the fiscal tables); where the report prints no
                # 政府性基金 cells, the 一般公共预算 figures are all of it
                cs = [c for c in fiscal if c.scope == scope]
                if scope == "fiscal" and not cs and not self.book.find(kind="govfund"):
                    cs = [c for c in fiscal if c.scope == "gpb"]
                if not cs or max(c.value for c in cs) - min(c.value for c in cs) > 0.02:
                    continue
                others = [c for c in self.book.readings(name, "spend", (scope,)) if c.ident != ident
                          and all(abs(c.value - x.value) > 0.005 for x in cs)]
                if others:
                    continue
                self.add("scoped", self.fill(self.rng.choice(templates), S=fiscal[0].say), "lookup",
                         self.gold("lookup", [cs], "万元"))

    def gen_split(self):
        pool = self.func_rows()
        self.rng.shuffle(pool)
        for ident in pool:
            for m, templates in (("basic", self.t["T_BASIC"]), ("project", self.t["T_PROJECT"])):
                s = self.subject(ident, m)
                if not s or not any(c.value for c in s[1]):
                    continue
                total = self.primary(ident, "spend")
                if total and abs(total[0].value - s[1][0].value) < 0.005:
                    continue                      # all of the row: not worth asking
                self.add("split", self.fill(self.rng.choice(templates), S=s[0]), "lookup", self.gold("lookup", [s[1]], "万元"))

    def gen_table(self):
        cands = []
        for c in self.book.cells:
            if c.kind not in self.t["TABLE_NAMES"] or not c.value or c.ident[0] not in ("func", "econ", "sg", "source"):
                continue
            col = None
            if c.measure == "spend" and c.kind in ("exp", "gpb_exp", "fiscal_exp", "summary", "basic_econ"):
                col = "total" if c.kind in ("exp", "gpb_exp", "fiscal_exp") else "value"
            elif c.measure in ("basic", "project") and c.kind in ("exp", "gpb_exp", "fiscal_exp"):
                col = c.measure
            elif c.measure == "income" and c.kind == "income":
                col = "income_total"
            elif c.measure == "fiscal_income" and c.kind == "income":
                col = "fiscal_income"
            if not col:
                continue
            same = [x for x in self.book.cells if x.table == c.table and x.name == c.name and x.column == c.column]
            if any(abs(x.value - c.value) > 0.005 for x in same):
                continue
            cands.append((c, col, same))
        self.rng.shuffle(cands)
        for c, col, same in cands:
            T = self.rng.choice(self.t["TABLE_NAMES"][c.kind])
            C = self.rng.choice(self.t["COLUMN_NAMES"][col])
            S = c.say
            if col == "value":
                tmpl = self.rng.choice(self.t["T_TABLE_VALUE"])
            else:
                tmpl = self.rng.choice(self.t["T_TABLE"])
            self.add("table", self.fill(tmpl, T=T, S=S, C=C), "lookup", self.gold("lookup", [same], "万元"))

    def gen_total(self):
        b = self.book
        plans = [("spend", self.total("spend")), ("income", self.total("income")),
                 ("basic", self.total("basic")), ("project", self.total("project"))]
        grand = [c for c in b.cells if c.ident == ("total", "总计") and c.kind == "summary"]
        plans.append(("grand", grand))
        for key, pat in (("carry_end", "年末结转和结余"), ("carry_begin", ("年初结转和结余", "上年结转和结余"))):
            pats = pat if isinstance(pat, tuple) else (pat,)
            plans.append((key, [c for c in b.cells if c.kind == "summary" and _squash(c.label) in pats]))
        plans.append(("fiscal", [c for c in b.cells if c.kind in ("fin_summary", "fiscal_exp") and c.scope == "fiscal"
                                 and c.measure == "spend" and _squash(c.label) in ("本年支出合计", "合计")]))
        plans.append(("gpb", [c for c in b.cells if c.scope == "gpb" and c.measure == "spend" and c.kind in ("fin_summary", "gpb_exp")
                              and _squash(c.label) in ("本年支出合计", "合计")]))
        plans.append(("staff", b.find(ident=("econ_group", "人员经费"))))
        plans.append(("office", b.find(ident=("econ_group", "公用经费"))))
        plans.append(("sg_actual", [c for c in b.cells if c.ident == ("sg", "三公经费") and c.measure == "spend"]))
        plans.append(("sg_budget", [c for c in b.cells if c.ident == ("sg", "三公经费") and c.measure == "budget"]))
        for key, cells in plans:
            if not cells or not any(c.value for c in cells):
                continue
            if max(c.value for c in cells) - min(c.value for c in cells) > 0.02:
                continue
            for t in self.t["T_TOTAL"][key]:
                self.add("total", self.fill(t), "lookup", self.gold("lookup", [cells], "万元"))
        # income sources named in the summary table (一般公共预算财政拨款收入, 事业收入, 其他收入 …)
        for c in b.cells:
            if c.kind == "summary" and c.measure == "income" and c.ident[0] == "source" and c.value:
                S = re.sub(r"^(?:[一二三四五六七八九十]+、|其中：)", "", _squash(c.label))
                if not S.endswith("收入"):
                    continue
                self.add("total", self.fill(self.rng.choice(self.t["T_TOTAL"]["source"]), S=S), "lookup",
                         self.gold("lookup", [[c]], "万元"))

    def _pairs(self, pool, measure="spend", same_parent=True):
        """Neighbouring rows (same parent) both askable by name."""
        subj = []
        for ident in pool:
            s = self.subject(ident, measure)
            if s:
                subj.append((ident, s))
        out = []
        for (ia, sa), (ib, sb) in itertools.combinations(subj, 2):
            if same_parent:
                if ia[0] != ib[0]:
                    continue
                if ia[0] == "func" and (len(ia[1]) != len(ib[1]) or ia[1][:-2] != ib[1][:-2]):
                    continue
                if ia[0] == "econ" and (ia[1][:3] != ib[1][:3] or len(ia[1]) != len(ib[1])):
                    continue
            if sa[0] in sb[0] or sb[0] in sa[0]:
                continue
            out.append((sa, sb))
        self.rng.shuffle(out)
        return out

    def gen_sum(self):
        pairs = self._pairs(self.econ_rows()) + self._pairs(self.func_rows()) + self._pairs(self.sg_rows())
        self.rng.shuffle(pairs)
        for (A, ca), (B, cb) in pairs:
            self.add("sum", self.fill(self.rng.choice(self.t["T_SUM"]), A=A, B=B), "calc", self.gold("sum", [ca, cb], "万元"))

    def gen_share(self):
        tot = self.total("spend")
        if tot:
            for ident in self.func_rows():
                if len(ident[1]) != 3:
                    continue
                s = self.subject(ident)
                if s and s[1][0].value < tot[0].value - 0.005:
                    B = self.rng.choice(self.t["WHOLE_SPEND"])
                    self.add("share", self.fill(self.rng.choice(self.t["T_SHARE"]), A=s[0], B=B), "calc",
                             self.gold("share", [s[1], tot], "%"))
            for m, A in (("basic", self.t["PART_NAMES"]["basic"]), ("project", self.t["PART_NAMES"]["project"])):
                part = self.total(m)
                if part and part[0].value and abs(part[0].value - tot[0].value) > 0.005:
                    for B in self.t["WHOLE_SPEND_PAIR"]:
                        self.add("share", self.fill(self.rng.choice(self.t["T_SHARE"]), A=A, B=B), "calc",
                                 self.gold("share", [part, tot], "%"))
        # a row's basic part of the row
        for ident in self.func_rows():
            s, sb = self.subject(ident), self.subject(ident, "basic")
            if s and sb and 0 < sb[1][0].value < s[1][0].value - 0.005 and len(ident[1]) <= 5:
                self.add("share", self.fill(self.rng.choice(self.t["T_SHARE_ROW_BASIC"]), S=s[0]), "calc",
                         self.gold("share", [sb[1], s[1]], "%"))
        # an economic item of its group
        for grp in ("人员经费", "公用经费"):
            g = self.book.find(ident=("econ_group", grp))
            if not g or not g[0].value:
                continue
            for ident in self.econ_rows():
                if (ident[1][:3] in ("301", "303")) != (grp == "人员经费") or len(ident[1]) != 5:
                    continue
                s = self.subject(ident)
                if s and s[1][0].value < g[0].value:
                    self.add("share", self.fill(self.rng.choice(self.t["T_SHARE"]), A=s[0], B=grp), "calc",
                             self.gold("share", [s[1], g], "%"))
        # 三公: an item of the whole, and what was spent of the budget
        sg_tot = [c for c in self.book.cells if c.ident == ("sg", "三公经费") and c.measure == "spend"]
        sg_bud = [c for c in self.book.cells if c.ident == ("sg", "三公经费") and c.measure == "budget"]
        if sg_tot and sg_tot[0].value:
            for ident in self.sg_rows():
                s = self.subject(ident)
                if s and s[1][0].value < sg_tot[0].value - 0.005:
                    self.add("share", self.fill(self.rng.choice(self.t["T_SHARE"]), A=s[0], B="三公经费"), "calc",
                             self.gold("share", [s[1], sg_tot], "%"))
            if sg_bud and sg_bud[0].value:
                self.add("share", self.fill(self.t["T_SHARE_SG_BUDGET"][0]), "calc",
                         self.gold("share", [sg_tot, sg_bud], "%"))

    def gen_diff(self):
        def direction(a, b):
            return "more" if a > b else "less"
        pairs = self._pairs(self.func_rows()) + self._pairs(self.econ_rows()) + self._pairs(self.sg_rows())
        self.rng.shuffle(pairs)
        for (A, ca), (B, cb) in pairs:
            if abs(ca[0].value - cb[0].value) < 0.005:
                continue
            t = self.rng.choice(self.t["T_DIFF"][direction(ca[0].value, cb[0].value)])
            self.add("diff", self.fill(t, A=A, B=B), "calc", self.gold("diff", [ca, cb], "万元"))
        for ident in self.func_rows():
            sb, sp = self.subject(ident, "basic"), self.subject(ident, "project")
            if sb and sp and sb[1][0].value and sp[1][0].value and abs(sb[1][0].value - sp[1][0].value) > 0.005:
                S = self.subject(ident)
                if not S:
                    continue
                t = self.rng.choice(self.t["T_DIFF_BP"][direction(sb[1][0].value, sp[1][0].value)])
                self.add("diff", self.fill(t, S=S[0]), "calc", self.gold("diff", [sb[1], sp[1]], "万元"))
        g1, g2 = self.book.find(ident=("econ_group", "人员经费")), self.book.find(ident=("econ_group", "公用经费"))
        if g1 and g2 and g1[0].value and g2[0].value:
            t = self.rng.choice(self.t["T_DIFF"][direction(g1[0].value, g2[0].value)])
            self.add("diff", self.fill(t, A="人员经费", B="公用经费"), "calc", self.gold("diff", [g1, g2], "万元"))
        sg_tot = [c for c in self.book.cells if c.ident == ("sg", "三公经费") and c.measure == "spend"]
        sg_bud = [c for c in self.book.cells if c.ident == ("sg", "三公经费") and c.measure == "budget"]
        if sg_tot and sg_bud and abs(sg_tot[0].value - sg_bud[0].value) > 0.005:
            for t in self.t["T_DIFF_SG"][direction(sg_tot[0].value, sg_bud[0].value)]:
                self.add("diff", self.fill(t), "calc", self.gold("diff", [sg_bud, sg_tot], "万元"))
        beg = [c for c in self.book.cells if c.kind == "summary" and _squash(c.label) in ("年初结转和结余", "上年结转和结余")]
        end = [c for c in self.book.cells if c.kind == "summary" and _squash(c.label) == "年末结转和结余"]
        if beg and end and abs(beg[0].value - end[0].value) > 0.005:
            for t in self.t["T_DIFF_CARRY"][direction(end[0].value, beg[0].value)]:
                self.add("diff", self.fill(t), "calc", self.gold("diff", [end, beg], "万元"))

    def gen_conv(self):
        def first(S, cells):
            q = self.fill(self.rng.choice(self.t["T_CONV_FIRST"]), S=S)
            return q, dict(question=q, type="lookup", **self.gold("lookup", [cells], "万元"))

        def turn(q, qtype, gold):
            return dict(question=q, type=qtype, **(gold or {}))

        pairs = self._pairs(self.func_rows()) + self._pairs(self.econ_rows())
        for (A, ca), (B, cb) in pairs[:QUOTA["conv"] // 3]:         # a third of the follow-ups are "那B呢"
            q, t1 = first(A, ca)
            t2 = turn(self.rng.choice(self.t["T_CONV_NEXT"]["sibling"]).format(B=B), "lookup", self.gold("lookup", [cb], "万元"))
            self.add("conv", q + " → " + t2["question"], "conversation", None, [t1, t2])
        tot = self.total("spend")
        pool = self.func_rows()
        self.rng.shuffle(pool)
        for ident in pool:
            s = self.subject(ident)
            if not s:
                continue
            for m in ("basic", "project"):
                sm = self.subject(ident, m)
                if sm and sm[1][0].value and abs(sm[1][0].value - s[1][0].value) > 0.005:
                    q, t1 = first(*s)
                    t2 = turn(self.rng.choice(self.t["T_CONV_NEXT"][m]), "lookup", self.gold("lookup", [sm[1]], "万元"))
                    self.add("conv", q + " → " + t2["question"], "conversation", None, [t1, t2])
            if tot and len(ident[1]) == 3 and s[1][0].value < tot[0].value - 0.005:
                q, t1 = first(*s)
                t2 = turn(self.rng.choice(self.t["T_CONV_NEXT"]["share"]), "calc", self.gold("share", [s[1], tot], "%"))
                self.add("conv", q + " → " + t2["question"], "conversation", None, [t1, t2])
        for ident in self.sg_rows():
            s = self.subject(ident)
            bud = [c for c in self.book.cells if c.ident == ident and c.measure == "budget"]
            if s and bud:
                q, t1 = first(*s)
                t2 = turn(self.rng.choice(self.t["T_CONV_NEXT"]["sg_budget"]), "lookup", self.gold("lookup", [bud], "万元"))
                self.add("conv", q + " → " + t2["question"], "conversation", None, [t1, t2])

    def gen_unans(self):
        rows = [self.subject(i) for i in self.func_rows() if len(i[1]) == 3]
        rows = [r for r in rows if r]
        for t in self.t["T_UNANS"]:
            S = self.rng.choice(rows)[0] if rows else "行政运行"
            self.add("unans", self.fill(t, S=S), "unanswerable", None)

    def build(self) -> list[dict]:
        for step in (self.gen_spend, self.gen_scoped, self.gen_split, self.gen_table, self.gen_total, self.gen_sum,
                     self.gen_share, self.gen_diff, self.gen_conv, self.gen_unans):
            step()
        for kind in QUOTA:
            self.rng.shuffle(self.items[kind])
        chosen: list[tuple[str, dict]] = []
        spare = 0
        order = list(QUOTA)
        for kind in order:
            pool = self.items.get(kind, [])
            want = QUOTA[kind]
            chosen += [(kind, it) for it in pool[:want]]
            spare += max(0, want - len(pool))
        # a kind with too few candidates leaves its quota to the others, in order
        for kind in order:
            if spare <= 0:
                break
            pool = self.items.get(kind, [])[QUOTA[kind]:]
            take = pool[:spare]
            chosen += [(kind, it) for it in take]
            spare -= len(take)
        out = []
        prefix = {"putuo-ghzy-2024": "hp", "chongqing-xinandaxue-2023": "hx", "hanyang-qifu-2023": "hq",
                  "hanyang-scjgj-2023": "hs"}.get(self.name, "h") + ("" if self.batch == "a" else self.batch)
        counters: dict[str, int] = defaultdict(int)
        for kind, it in chosen:
            counters[kind] += 1
            rec = OrderedDict(id=f"{prefix}-{kind}-{counters[kind]:02d}")
            if it["type"] == "conversation":
                rec["type"] = "conversation"
                rec["turns"] = it["turns"]
            else:
                for k in ("question", "type", "values", "unit", "tol", "why", "from"):
                    if k in it:
                        rec[k] = it[k]
            out.append(rec)
        return out


# ---------------------------------------------------------------- files


def load_cells(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def set_path(name: str, batch: str = "a") -> Path:
    return OUT_DIR / (f"{name}.jsonl" if batch == "a" else f"{name}-{batch}.jsonl")


def generate(name: str, batch: str = "a") -> list[dict]:
    spec = REPORTS[name]
    raw = load_cells(ROOT / spec["cells"])
    return Gen(name, raw, spec["dept"], spec["year"], batch).build()


def dumps(items: list[dict]) -> str:
    return "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items)


def cells_dumps(cells: list[dict]) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cells)


def verify(name: str, items: list[dict]) -> list[str]:
    """Recompute every gold value from the cells the item names; one line per failure."""
    raw = load_cells(ROOT / REPORTS[name]["cells"])
    index: dict[tuple, list[float]] = defaultdict(list)
    for r in raw:
        index[(r["table"], r["label"], r.get("column") or "")].append(float(r["value"]))
    bad = []
    ids = set()
    for it in items:
        if it["id"] in ids:
            bad.append(f"{it['id']}: duplicate id")
        ids.add(it["id"])
        for k, t in enumerate(it.get("turns") or [it]):
            where = f"{it['id']}#{k + 1}" if it.get("turns") else it["id"]
            if t["type"] == "unanswerable":
                if "values" in t:
                    bad.append(f"{where}: unanswerable with values")
                continue
            if t["type"] not in ("lookup", "calc"):
                bad.append(f"{where}: unexpected type {t['type']}")
                continue
            src = t.get("from") or {}
            args = []
            for operand in src.get("args", []):
                vals = []
                for key in operand:
                    hit = index.get(tuple(key))
                    if not hit or any(h != hit[0] for h in hit):     # a header row repeated on the next page
                        bad.append(f"{where}: cell {key} {'missing' if not hit else 'not unique'}")
                        continue
                    vals.append(hit[0])
                args.append(vals)
            if not args or any(not a for a in args):
                bad.append(f"{where}: no cells")
                continue
            want = compute(src["op"], args)
            if want != t["values"]:
                bad.append(f"{where}: gold {t['values']} ≠ recomputed {want}")
            if t["unit"] == "%" and (src["op"] != "share" or t["tol"] != 0.01):
                bad.append(f"{where}: a percentage must be a share with tol 0.01")
            if t["unit"] == "万元" and t["tol"] != 0.005:
                bad.append(f"{where}: money tol must be 0.005")
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verify", action="store_true", help="recompute the committed sets' gold from the cells")
    ap.add_argument("--cells", metavar="REPORT.txt", help="print the cells read from a hand-verified report text")
    ap.add_argument("--check", metavar="REPORT.txt", help="check cells read from a text against its printed totals")
    ap.add_argument("--report", action="append", choices=list(REPORTS), help="only these reports")
    ap.add_argument("--batch", action="append", choices=list(BATCHES), help="only these batches of wording")
    a = ap.parse_args(argv)
    if a.cells or a.check:
        cells = cells_from_text(Path(a.cells or a.check).read_text(encoding="utf-8"))
        if a.cells:
            sys.stdout.write(cells_dumps(cells))
            return 0
        bad = check_cells(cells)
        print(f"{len(cells)} cells, {len(bad)} failed checks")
        for b in bad:
            print("  " + b)
        return 1 if bad else 0
    names = a.report or list(REPORTS)
    status = 0
    for name, batch in itertools.product(names, a.batch or BATCHES):
        path = set_path(name, batch)
        spec = REPORTS[name]
        if a.verify:
            items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            bad = verify(name, items)
            if spec.get("txt"):
                derived = cells_from_text((ROOT / spec["txt"]).read_text(encoding="utf-8"))
                if cells_dumps(derived) != (ROOT / spec["cells"]).read_text(encoding="utf-8"):
                    bad.append(f"{spec['cells']} differs from the cells read from {spec['txt']}")
                bad += [f"printed total: {x}" for x in check_cells(derived)]
            print(f"{path.name}: {len(items)} items, {len(bad)} failures")
            for b in bad:
                print("  " + b)
            status |= 1 if bad else 0
        else:
            if spec.get("txt"):
                derived = cells_from_text((ROOT / spec["txt"]).read_text(encoding="utf-8"))
                (ROOT / spec["cells"]).write_text(cells_dumps(derived), encoding="utf-8")
            items = generate(name, batch)
            path.write_text(dumps(items), encoding="utf-8")
            kinds = defaultdict(int)
            for it in items:
                kinds[it["id"].split("-")[1]] += 1
            print(f"{path.name}: {len(items)} items ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
    return status


if __name__ == "__main__":
    sys.exit(main())
