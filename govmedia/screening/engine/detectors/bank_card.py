"""Bank card numbers: 16–19 digits with a valid Luhn (ISO/IEC 7812) check digit."""


def is_bank_card_number(digits: str) -> bool:
    return (
        16 <= len(digits) <= 19
        and digits.isascii()
        and digits.isdigit()
        and digits[0] != "0"
        and luhn_valid(digits)
    )


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:  # every second digit from the right is doubled
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
