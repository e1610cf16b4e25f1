"""上海: the standard tables under their bare titles, no number; codes split over 类 / 款 / 项 columns.

Nothing numbers its tables, so it is the family a report falls back to when no other recognises its
titles; the split codes and the 栏次 axis row are read by the shared reader. Its narrative explains each
spending item under a heading that names the item by levels ("9、城乡社区支出（类）城乡社区规划与管理（款）
城乡社区规划与管理（项）"), and the next sentences state that item's figures ("年初预算为 3110.14 万元").
"""

import re

from index.layouts import Layout, register

LAYOUT = register(
    Layout(
        id="shanghai",
        name="上海无编号标题格式",
        bare_titles=True,
        item_paths=(re.compile(r"^\(?\d{1,2}[)、.]?\s*((?:[^,;:()（）]{2,30}[(（](?:类|款|项)[)）])+)$"),),
        priority=90,
    )
)
