"""武汉 (and most 区/县 departments): the nine tables numbered "公开01表" … "公开09表".

The number stands before or after the title, or on a line of its own; titles carry the year
("2023 年度收入支出决算总表"). Codes are printed whole ("2010350 事业运行") or in a code column.
"""

import re

from index.layouts import Layout, Numbering, register

LAYOUT = register(
    Layout(
        id="wuhan",
        name="武汉“公开NN表”格式",
        numberings=(Numbering(re.compile(r"[(（]?公开\s*0?(\d{1,2})\s*表[)）]?"), "公开{:02d}表"),),
        priority=10,
    )
)
