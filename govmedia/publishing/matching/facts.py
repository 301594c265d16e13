"""Figures a text states — amounts, counts, percentages, dates, times, phone numbers — as
atoms, short canonical strings compared as sets:

    N30000000      3000万元, 三千万元, 0.3亿元, 30,000,000 (magnitudes applied, units ignored)
    P5 / Q5        5%, 百分之五 / 5‰, 千分之五
    Y2024          2024年, 二〇二四年
    M12D5          12月5日, 2024-12-05 (with Y2024)
    M12 / D5       12月 / 5日, 5号
    T9:30 / H9     9:30, 9时30分 / 9时, 9点
    #05306221234   0530-6221234, as one number

A post that states an atom its revision does not is not the approved text, however similar the
rest. What a revision states also implies its parts (12月5日 implies M12, D5 and the plain
numbers 12 and 5), so a post may leave out the year of a date or the unit of an amount, but
not change a digit.

Read in the folded text with its punctuation: digits are ASCII there, but full-width
punctuation is not folded, so the patterns accept both widths (3．5, ５％ → 3.5, 5%).

Chinese numerals count only where they are plainly numbers: a run of two or more that holds a
digit (三千万, 二〇二四, 十二), or a single numeral before a unit or measure word (三项, 五个,
两名) or after 第, 百分之, 千分之. 统一, 一是, 千方百计, 千万 are words, not figures.

Limits: units are ignored, so 3000万元 → 3000万人 passes here (the similarity score still
sees it); a run of Chinese numerals with an irregular shape (十四五) is compared as written.
"""

import re
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from decimal import Decimal

_DIGITS = {
    **dict.fromkeys("〇零", 0),
    **dict.fromkeys("一壹", 1),
    **dict.fromkeys("二两贰", 2),
    **dict.fromkeys("三叁", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
_SMALL_UNITS = {
    **dict.fromkeys("十拾", 10),
    **dict.fromkeys("百佰", 100),
    **dict.fromkeys("千仟", 1000),
}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_NUMERALS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
_PLAIN_DIGITS = "〇零一二三四五六七八九"  # after 点 in 三点五
_PER_SIGNS = ("%", "％", "‰")

# Units and measure words that make a lone Chinese numeral a number (三项, 五个, 两名).
_MEASURES = frozenset(
    "个项件次名位人户家所条款章节批期届轮年月日号时点分秒天周岁元角倍吨亩米台辆套间座栋层组类种场份张册篇宗例度℃%％‰"
)
# Shown after a number in a reason: 5000万元, 12名.
_DISPLAY_UNITS = frozenset("元人户个项件次名位家所条岁亩吨米台辆套间座栋层组批期届倍天周度℃")

# Where figures can be: runs of digits and numerals, with the separators inside figures
# (3.5, 3,000, 9:30, 0530-6221234, 2024/12/05, 三点五). One plain character class leads, so the
# regex engine skips the rest of the text quickly; the finer pattern then reads each run.
_RUN = re.compile(rf"[0-9{_NUMERALS}]+(?:[.．,，:：\-－—–/点][0-9{_NUMERALS}]+)*")
_PART = re.compile(
    # Landline with its area code, or a mobile number.
    r"(?P<phone>(?:0\d{2,3}[-－—–]\d{7,8}|1[3-9]\d{9})(?!\d))"
    # 2024-12-05, 2024.12.05, 2024/12/5.
    r"|(?P<ymd>(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.]))"
    # 9:30.
    r"|(?P<clock>(?P<h>\d{1,2})[:：](?P<min>\d{2})(?!\d))"
    # 3000, 3,000 or 3.5, then 万 or 亿; or Chinese numerals.
    r"|(?P<arabic>\d+(?:[,，]\d{3}(?!\d))*(?:[.．]\d+)?)(?P<big>[万亿]*)"
    rf"|(?P<cn>[{_NUMERALS}]+(?:点[{_PLAIN_DIGITS}]+)?)"
)
_PREFIXES = ("百分之", "千分之", "第")
# Longer runs of digits and numerals are no amounts (and Python refuses to read an int of
# over 4,300 digits): they are compared as written.
_LONGEST_FIGURE = 40


@dataclass(frozen=True, slots=True)
class Figure:
    text: str  # as written, for the reason
    label: str  # 数字, 日期, 时间, 号码
    atoms: tuple[str, ...]  # what it states; a post's must all be in its revision's
    implied: tuple[str, ...] = ()  # what it also states, counted on the revision's side


def figures(folded: str) -> tuple[Figure, ...]:
    """The figures ``folded`` (a folded text, punctuation kept) states, in order. The parts
    of a date (2024年12月5日) or a time (9时30分) written together make one figure."""
    found: list[Figure] = []
    group: list[_Raw] = []  # a date or a time being assembled
    for raw in _raw_figures(folded):
        start, kind = raw[0], raw[2]
        if group and start == group[-1][1] and (group[-1][2], kind) in _CONTINUES:
            group.append(raw)
            continue
        if group:
            found.append(_assembled(folded, group))
            group = []
        if kind in _LABELS:  # most figures: nothing to assemble
            found.append(Figure(folded[start : raw[4]], _LABELS[kind], (kind + raw[3],), raw[5]))
        else:
            group.append(raw)
    if group:
        found.append(_assembled(folded, group))
    return tuple(found)


def stated(items: Iterable[Figure]) -> frozenset[str]:
    """Every atom the figures state or imply: what a post may state."""
    return frozenset(atom for item in items for atom in (*item.atoms, *item.implied))


def unsupported(post_figures: Iterable[Figure], revision_atoms: Set[str]) -> Figure | None:
    """The first figure of the post that its revision does not state, or None."""
    for item in post_figures:
        if any(atom not in revision_atoms for atom in item.atoms):
            return item
    return None


# One number as read, before dates and times are assembled: (start, end past the unit that
# decided its kind, kind, value, end of what a reason shows, implied atoms). Tuples, not
# objects: a text holds dozens and this is the matcher's hot path.
_Raw = tuple[int, int, str, str, int, tuple[str, ...]]
_LABELS = {"N": "数字", "P": "数字", "Q": "数字", "S": "数字", "#": "号码", "T": "时间"}
_CONTINUES = frozenset({("Y", "M"), ("M", "D"), ("H", "minute")})
# The unit after a number that makes it part of a date or a time, and the values it allows.
_DATE_AND_TIME_UNITS = {
    "年": ("Y", 1000, 2999),
    "月": ("M", 1, 12),
    "日": ("D", 1, 31),
    "号": ("D", 1, 31),
    "时": ("H", 0, 24),
    "点": ("H", 0, 24),  # 三点五 was read as 3.5 already; 三点 here is three o'clock
    "分": ("minute", 0, 59),
}


def _raw_figures(text: str) -> Iterator[_Raw]:
    for run in _RUN.finditer(text):
        start, end = run.span()
        written = run[0]
        if len(written) > _LONGEST_FIGURE:  # a digit dump, not a figure: compared as written
            yield (start, end, "S", written, end, ())
            continue
        if written.isdigit() and len(written) != 11:  # a plain number (11 digits: a mobile?)
            yield _number(text, start, end, int(written), None)
            continue
        if text.startswith("分之", end):  # the 百 of 百分之五: a prefix, read with 五
            continue
        for match in _PART.finditer(text, start, end):
            part = match.lastgroup
            if part == "phone":
                digits = re.findall(r"\d+", match[0])
                implied = tuple("N" + str(int(each)) for each in digits)
                yield (*match.span(), "#", "".join(digits), match.end(), implied)
            elif part == "ymd":
                year, month, day = (int(match[group]) for group in ("y", "m", "d"))
                implied = (f"N{year}", f"N{month}", f"N{day}")
                yield (*match.span(), "YMD", f"{year}|{month}|{day}", match.end(), implied)
            elif part == "clock":
                hour, minute = int(match["h"]), int(match["min"])
                yield (*match.span(), "T", f"{hour}:{minute:02d}", match.end(), (f"H{hour}",))
            elif part == "cn":
                if (raw := _number(text, *match.span(), None, match[0])) is not None:
                    yield raw
            else:
                value = _arabic_value(match["arabic"], match["big"])
                yield _number(text, *match.span(), value, None)


def _number(
    text: str, start: int, end: int, value: int | Decimal | None, chinese: str | None
) -> _Raw | None:
    """A number read at text[start:end] (``value``, or the Chinese numerals ``chinese``),
    its kind decided by the word before it (第, 百分之) and the unit after it (%, 年, 月)."""
    prefix = ""
    if start and text[start - 1] in "第之":
        before = text[max(0, start - 3) : start]
        prefix = next((word for word in _PREFIXES if before.endswith(word)), "")
    after = text[end : end + 1]
    if chinese is not None:
        if not _plainly_a_number(chinese, prefix, after):
            return None
        value = _chinese_value(chinese)
        if value is None:  # irregular numerals (十四五): compared as written
            return (start - len(prefix), end, "S", chinese, end, ())
    shown_from = start - len(prefix)
    if prefix in ("百分之", "千分之") or after in _PER_SIGNS:
        sign_end = end + 1 if after in _PER_SIGNS else end  # 5% ends past its sign
        kind = "Q" if prefix == "千分之" or after == "‰" else "P"
        return (shown_from, sign_end, kind, _canonical(value), sign_end, ())
    unit = None if prefix else _DATE_AND_TIME_UNITS.get(after)
    if unit is not None and unit[1] <= value <= unit[2] and value == int(value):
        written = _canonical(value)
        return (start, end + 1, unit[0], written, end + 1, ("N" + written,))
    display_end = end + 1 if after in _DISPLAY_UNITS else end
    return (shown_from, end, "N", _canonical(value), display_end, ())


def _plainly_a_number(run: str, prefix: str | None, after: str) -> bool:
    if prefix or after in _MEASURES:
        return True
    # 千万 (by all means), 万一 (in case) hold no digit; 统一, 一流 are one numeral.
    return len(run) >= 2 and any(char in _DIGITS for char in run) and run not in ("万一", "一一")


def _assembled(text: str, group: list[_Raw]) -> Figure:
    """A date or a time from its parts: 2024年12月5日 states Y2024 and M12D5 (and implies
    M12, D5), 9时30分 states T9:30 (and implies H9)."""
    parts = {raw[2]: raw[3] for raw in group}
    implied = [atom for raw in group for atom in raw[5]]
    if "YMD" in parts:
        parts.update(zip("YMD", parts.pop("YMD").split("|"), strict=True))
    atoms = []
    if "Y" in parts:
        atoms.append("Y" + parts["Y"])
    if "M" in parts and "D" in parts:
        atoms.append(f"M{parts['M']}D{parts['D']}")
        implied += [f"M{parts['M']}", f"D{parts['D']}"]
    elif "M" in parts or "D" in parts:
        atoms.append("M" + parts["M"] if "M" in parts else "D" + parts["D"])
    if "H" in parts and "minute" in parts:
        atoms.append(f"T{parts['H']}:{int(parts['minute']):02d}")
        implied.append("H" + parts["H"])
    elif "H" in parts:
        atoms.append("H" + parts["H"])
    elif "minute" in parts:  # 分 after a number that is no hour: 30分 (points or minutes)
        atoms.append("N" + parts["minute"])
    label = "日期" if parts.keys() & {"Y", "M", "D"} else "时间" if "H" in parts else "数字"
    return Figure(text[group[0][0] : group[-1][4]], label, tuple(atoms), tuple(implied))


def _arabic_value(digits: str, magnitudes: str) -> int | Decimal:
    if digits.isdigit() and not magnitudes:  # most figures: a plain integer, read fast
        return int(digits)
    value = Decimal(digits.replace(",", "").replace("，", "").replace("．", "."))
    for magnitude in magnitudes:
        value *= _BIG_UNITS[magnitude]
    return value


def _chinese_value(run: str) -> Decimal | None:
    """三千万 → 30000000, 二〇二四 → 2024, 三点五 → 3.5; None for an irregular run (十四五)."""
    whole, _, fraction = run.partition("点")
    if not any(char in _SMALL_UNITS or char in _BIG_UNITS for char in whole):
        value = "".join(str(_DIGITS[char]) for char in whole)  # a digit string: 二〇二四
    else:
        positional = _positional(whole)
        if positional is None:
            return None
        value = str(positional)
    if fraction:
        value += "." + "".join(str(_DIGITS[char]) for char in fraction)
    return Decimal(value)


def _positional(run: str) -> int | None:
    """一千零五 → 1005, 三万五千 → 35000, 十二 → 12; None if two digits meet (十四五)."""
    total = section = number = 0
    previous_was_digit = False
    for char in run:
        if char in _DIGITS:
            if previous_was_digit and number:
                return None
            number = _DIGITS[char]
            previous_was_digit = number != 0  # 零 lets the next digit follow: 一千零五
        elif char in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[char]
            number, previous_was_digit = 0, False
        else:
            big = _BIG_UNITS[char]
            if big > 10**4:  # 亿 scales everything before it, 万 included
                total = (total + section + number) * big
            else:
                total += (section + number) * big
            section = number = 0
            previous_was_digit = False
    return total + section + number


def _canonical(value: int | Decimal) -> str:
    """One spelling per value: 3.50 → 3.5, 3E+7 → 30000000."""
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")
