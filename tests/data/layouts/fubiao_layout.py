"""A made-up layout family for the registry test: tables numbered "附表N", and one table kind of its own.

It shows what adding a region takes: this module (numbering, title marks, its own kind), nothing in the
shared reader.
"""

import re

from index.layouts import Layout, Numbering
from index.vocabulary import TableKind

INSTRUMENTS = TableKind("instrument_purchase", "科研仪器设备购置情况表", re.compile(r"仪器设备购置情况表$"), may_be_empty=True)

LAYOUT = Layout(
    id="fubiao",
    name="“附表N”格式（测试用）",
    numberings=(Numbering(re.compile(r"^()附表\s*(\d{1,2})\s*(?:[:：、.．]\s*|\s+|(?=[^\d\s]))"), "{}附表{}"),),
    kinds=(INSTRUMENTS,),
    priority=30,
)
