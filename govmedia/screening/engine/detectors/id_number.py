"""居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, and a
check character over ISO 7064 MOD 11-2."""

from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"  # indexed by the weighted sum mod 11
# First two digits: the province-level codes of GB/T 2260, plus 83 (台湾居民居住证).
# fmt: off
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
    "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
    "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
})
# fmt: on


def has_id_shape(value: str) -> bool:
    """18 characters with a known province and a real birth date, whatever the check char."""
    return (
        len(value) == 18
        and value[:17].isascii()
        and value[:17].isdigit()
        and value[:2] in _PROVINCES
        and _is_birth_date(value[6:14])
    )


def is_id_number(value: str) -> bool:
    """A valid 18-character ID number; an x is accepted for the check character X."""
    return has_id_shape(value) and value[17].upper() == check_char(value[:17])


def check_char(first17: str) -> str:
    return _CHECK_CHARS[
        sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True)) % 11
    ]


def _is_birth_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not 1800 <= year <= 2099:  # the standard's own example is born in 1880
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
