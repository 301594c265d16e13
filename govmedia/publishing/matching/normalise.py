"""The comparable form of a post or a revision.

HTML → text (tags dropped, block tags become line breaks) → links and 微博 emoticons
dropped → folded (NFKC, case, traditional → simplified): the *folded text*, one paragraph
a line, punctuation kept. Figures are read from it (facts.py).

folded text → punctuation, spaces, emoji dropped: the *paragraphs*, which are compared.
They keep letters and digits, a percent sign, and a "." where punctuation stood between
two digits (3.5, 3,000 → 3.000, 0530-1234 → 0530.1234): without it 3.5 and 35 would be
the same text. Paragraphs are kept apart so that a repost that reorders them can be
realigned.
"""

import re

from govmedia.screening.engine.folding import fold_chars
from govmedia.screening.engine.markup import html_to_text

# A tag of the kind an editor or a platform writes, not a bare "<" in "a < b".
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
# Links are added by platforms (微博's t.cn, "阅读原文"), and their digits are no figures.
_LINK = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
# 微博 writes its emoticons as a bracketed word: [心] [doge] [赞].
_EMOTICON = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
# The frame a repost puts around a text: a column tag before it (【天中发布】, [转载]) and
# attribution lines after it (来源：…, 编辑：…): neither is content a reviewer approved. An
# attribution line that states a figure (a date, an amount) stays, and is judged as content.
_COLUMN_TAG = re.compile(r"\A\s*[【\[〖][^】\]〗\n]{1,16}[】\]〗]")
_ATTRIBUTION = re.compile(
    r"^\s*(?:来源|稿源|转自|编辑|责任编辑|责编|审核|审校|校对|作者|记者|通讯员|供稿|撰稿|摄影|"
    r"图片|排版|初审|复审|终审)\s*[:：|｜][^\n0-9〇零一二两三四五六七八九十百千万亿]{0,40}$"
)
# Punctuation between two digits, on one line. Led by a plain class, so the scan is fast.
_DIGIT_GAP = re.compile(r"([0-9])[^\w\n%‰]+(?=[0-9])")
# Everything but letters, digits, line breaks, the decimal marks and percent signs.
_NOISE = re.compile(r"[^\w\n.%‰]+")
# A "." left over that does not stand between two digits (an abbreviation, "1."). Written to
# start with the literal dot, which the regex engine finds fast.
_STRAY_DOT = re.compile(r"\.(?:(?![0-9])|(?<![0-9]\.))")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds markup (a WeChat article) rather than plain text (微博)."""
    return _TAG.search(text) is not None


def folded_text(text: str, *, html: bool = False) -> str:
    """The text a reader sees, folded, without the links and emoticons platforms add; every
    line break is "\\n"."""
    if html:
        text = html_to_text(text)[0]
    if "[" in text:
        text = _EMOTICON.sub("", text)
    if "://" in text or "www" in text or "WWW" in text:  # the regex alone costs ~45 µs/KB
        text = _LINK.sub("", text)
    return "\n".join(_unframed(fold_chars(text).splitlines()))


def _unframed(lines: list[str]) -> list[str]:
    """The lines without a leading column tag and trailing attribution lines."""
    while lines and (not lines[-1].strip() or _ATTRIBUTION.match(lines[-1])):
        lines.pop()
    if lines:
        lines[0] = _COLUMN_TAG.sub("", lines[0], count=1)
    return lines


def line_paragraphs(folded: str) -> list[str]:
    """The paragraph of each line of a folded text ("" for a line without letters or digits),
    so that ``folded.split("\\n")`` and this list stay aligned."""
    text = _DIGIT_GAP.sub(_decimal_mark, folded)
    text = _NOISE.sub("", text.replace("％", "%"))
    if "_" in text:  # \w admits it; it is noise
        text = text.replace("_", "")
    if "." in text:
        text = _STRAY_DOT.sub("", text)
    return text.split("\n")


def paragraphs(folded: str) -> tuple[str, ...]:
    """The non-empty paragraphs of a folded text."""
    return tuple(filter(None, line_paragraphs(folded)))


def _decimal_mark(match: re.Match) -> str:
    return match[1] + "."
