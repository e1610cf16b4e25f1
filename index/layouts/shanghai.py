"""上海: the standard tables under their bare titles, no number; codes split over 类 / 款 / 项 columns.

Nothing numbers its tables, so it is the family a report falls back to when no other recognises its
titles; the split codes and the 栏次 axis row are read by the shared reader.
"""

from index.layouts import Layout, register

LAYOUT = register(Layout(id="shanghai", name="上海无编号标题格式", bare_titles=True, priority=90))
