"""Mainland mobile numbers: 11 digits, 1 then 3–9 (the numbering plan of MIIT)."""


def is_mobile_number(digits: str) -> bool:
    return (
        len(digits) == 11
        and digits.isascii()
        and digits.isdigit()
        and digits[0] == "1"
        and digits[1] in "3456789"
    )
