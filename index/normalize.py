"""Text normalization shared by every reader: NFKC plus the CJK radicals NFKC leaves alone."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# pdfplumber returns some characters as radicals. NFKC folds the Kangxi block (U+2F00–2FD5:
# ⼊ ⽀ ⽬) but not the CJK Radicals Supplement (U+2E80–2EFF: ⻔ ⻋ ⻝), so map those by hand.
_RADICAL_SUPPLEMENT = str.maketrans(
    {
        "⺁": "厂", "⺇": "几", "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尣", "⺐": "尢",
        "⺑": "尣", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺕": "彐", "⺛": "旡", "⺝": "月",
        "⺟": "母", "⺠": "民", "⺡": "水", "⺣": "火", "⺤": "爪", "⺥": "爫", "⺦": "丬",
        "⺧": "牛", "⺨": "犭", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示", "⺭": "礻",
        "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "网", "⺲": "罒", "⺳": "网", "⺴": "网",
        "⺵": "网", "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "聿", "⺻": "聿",
        "⺼": "肉", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衣",
        "⻃": "西", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝",
        "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "钅",
        "⻑": "长", "⻒": "长", "⻓": "长", "⻔": "门", "⻕": "门", "⻖": "阝", "⻗": "雨",
        "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻞": "食",
        "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
        "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐",
        "⻭": "歯", "⻮": "齿", "⻯": "竜", "⻰": "龙", "⻱": "龜", "⻲": "亀", "⻳": "龟",
        # Traditional glyph variants some PDF fonts substitute in simplified text.
        "戶": "户",
    }
)

_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def normalize(text: str) -> str:
    """NFKC, radicals folded, runs of blanks collapsed to one space (newlines kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_RADICAL_SUPPLEMENT)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


@lru_cache(maxsize=200_000)
def compact(text: str) -> str:
    """Normalized text with every blank removed, for matching headers and labels."""
    return re.sub(r"\s+", "", normalize(text))


def join_cjk(text: str) -> str:
    """Remove blanks between CJK characters (PDF and text exports put spaces in odd places)."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text)


_CID = re.compile(r"\(cid:\d+\)")


def garbled_share(text: str) -> float:
    """Share of characters that are undecoded (cid:NN) glyphs or replacement characters."""
    if not text:
        return 0.0
    bad = sum(len(m.group()) for m in _CID.finditer(text)) + text.count("\ufffd")
    return bad / len(text)
