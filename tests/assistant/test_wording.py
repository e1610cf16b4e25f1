"""The question vocabulary: each table matches the wordings it is there for, and not its near misses."""

from __future__ import annotations

import pytest

from assistant import wording


@pytest.mark.parametrize("pattern,matches,misses", [
    ("SHARE", ["占本年支出的比例", "所占比重", "占比多少"], ["比上年增加多少"]),
    ("RATIO", ["是社保支出的几倍", "是公用经费的多少倍"], ["占比多少"]),
    ("RANK", ["支出最多", "排第三", "倒数第二", "前三"], ["第二砖瓦厂执行率"]),
    ("READERS_LAST_YEAR", ["去年一共花了多少"], ["比去年多多少", "去年同期"]),
    ("WHOLE_BEFORE", ["在本年支出合计中所占比重", "在工资福利支出里的占比"], ["占本年支出的比例"]),
    ("TOTAL_BACK", ["合计占项目支出的比例", "这两项合计占"], ["住房保障支出合计"]),
    ("LEVEL_MARK", ["事业运行（项）", "教育(类)"], ["事业运行"]),
    ("ASKS_AMOUNT", ["有多少", "几辆车", "花了"], ["为什么"]),
])
def test_each_table_matches_its_wordings(pattern, matches, misses):
    regex = getattr(wording, pattern)
    assert all(regex.search(text) for text in matches)
    assert not any(regex.search(text) for text in misses)
