"""What a bulletin says, and the page it is set on (GB/T 9704-2012 《党政机关公文格式》)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The page (mm): A4; 天头 37, 订口 28; the text area 156 × 225 (§5.2.1, 5.2.2).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_TOP, MARGIN_LEFT = 37.0, 28.0
TEXT_W, TEXT_H = 156.0, 225.0
MARGIN_RIGHT = PAGE_W - MARGIN_LEFT - TEXT_W  # 26
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - TEXT_H  # 35
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28  # §5.2.3
LINE_PITCH = TEXT_H / LINES_PER_PAGE  # mm
CHAR_PITCH = TEXT_W / CHARS_PER_LINE  # mm

# Sizes (pt) by the Chinese names: 二号 22, 三号 16, 四号 14 (§5.2.4 ff.).
SIZE_2, SIZE_3, SIZE_4 = 22.0, 16.0, 14.0
RED = (0xE6, 0x00, 0x12)  # 发文机关标志 and the separator: red
# The separator is 4 mm below the 发文字号 (§7.2.4); 版记 rules 0.35 mm (first and last) and
# 0.25 mm (between) (§7.4.1).
SEPARATOR_GAP = 4.0
RULE_HEAVY, RULE_LIGHT = 0.35, 0.25
RED_RULE = 0.5  # the red separator, mm (the standard fixes its colour and length)

# East-Asian font names Word looks up on a government PC; written into every run (w:eastAsia).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"


@dataclass(frozen=True)
class Section:
    """A numbered part of the body: 一、 heading (黑体) and its paragraphs; an item list (the
    failed accounts) is paragraphs too, each starting with its number."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    subheadings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # （一） headings (楷体)


@dataclass(frozen=True)
class Bulletin:
    issuer_mark: str  # 发文机关标志, e.g. 菏泽市定陶区人民政府办公室
    doc_no: str  # 发文字号, e.g. 定政办〔2026〕3号
    title: str
    addressee: str  # 主送机关
    opening: tuple[str, ...]
    sections: tuple[Section, ...]
    signer: str  # 发文机关署名
    date_text: str  # 成文日期, e.g. 2026年12月3日
    cc: str  # 抄送
    printer: str  # 印发机关
    printed_text: str  # 印发日期, e.g. 2026年12月3日印发
    failed_names: tuple[str, ...] = field(default=())  # for tests and the page
