"""The page a government document is set on (GB/T 9704-2012 《党政机关公文格式》)."""

# The page (mm): A4; 天头 37, 订口 28; the text area 156 × 225 (§5.2.1, 5.2.2).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_TOP, MARGIN_LEFT = 37.0, 28.0
TEXT_W, TEXT_H = 156.0, 225.0
MARGIN_RIGHT = PAGE_W - MARGIN_LEFT - TEXT_W  # 26
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - TEXT_H  # 35
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28  # §5.2.3
LINE_PITCH = TEXT_H / LINES_PER_PAGE  # mm
CHAR_PITCH = TEXT_W / CHARS_PER_LINE  # mm

# Sizes (pt) by the Chinese names: 二号 22, 三号 16, 四号 14 (§5.2.4 ff.); tables and chart
# labels in 小四 12 (a table is not body text: the standard leaves its size to the drafter).
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = 22.0, 16.0, 14.0, 12.0
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

# Charts: drawn in the text width, this tall (mm); bars and lines in these colours.
CHART_H = 70.0
CHART_COLOURS = ((0x2F, 0x54, 0x96), (0xC0, 0x39, 0x2B), (0x27, 0xAE, 0x60), (0xE6, 0x7E, 0x22))
