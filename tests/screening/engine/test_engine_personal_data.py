"""Personal data: ID numbers (GB 11643), mobile numbers, bank cards (Luhn), masked."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from govmedia.screening.engine.detectors.id_number import is_id_number

CATEGORY = "personal_data"
VALID_ID = "11010519491231002X"  # the example of GB 11643-1999
VALID_CARD = "6222021234567894"


def personal(check, text):
    return [f for f in check(text) if f.category == CATEGORY]


def test_valid_id_number_fires_masked(check):
    text = f"身份证号{VALID_ID}。"
    [finding] = personal(check, text)
    assert (finding.rule, finding.severity) == ("id_number", "block")
    assert text[finding.start : finding.end] == VALID_ID
    assert finding.matched == "1101**********002X"


def test_lowercase_check_character_is_accepted(check):
    [finding] = personal(check, f"证号{VALID_ID.lower()}")
    assert finding.rule == "id_number"


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "110105194902300027",  # 30 February (check character recomputed below)
        "990105194912310021",  # no such province
    ],
)
def test_invalid_id_numbers_do_not_fire(check, number):
    if number[10:14] == "0230":
        number = number[:17] + ric.calc_check_digit(number)
    assert personal(check, f"身份证号{number}") == []


def test_id_number_inside_a_longer_digit_run_does_not_fire(check):
    assert personal(check, f"编号9{VALID_ID}") == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("手机13800000000", "138****0000"),
        ("手机 138 0000 0000", "138 **** 0000"),
        ("手机138-0000-0000", "138-****-0000"),
        ("手机：１３８００００００００", "138****0000"),  # full width, masked in the folded form
        ("+86 139 1234 5678", "139 **** 5678"),
    ],
)
def test_mobile_numbers_fire_masked(check, text, matched):
    [finding] = personal(check, text)
    assert (finding.rule, finding.severity, finding.matched) == ("mobile_number", "warn", matched)


def test_two_mobile_numbers_separated_by_a_space(check):
    assert [f.matched for f in personal(check, "13800000000 13900000000")] == [
        "138****0000",
        "139****0000",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：0530-2212021",
        "联系电话：0530—2212021",  # em dash, as in the notice
        "编号138000000001",  # a longer digit run
        "12800000000",  # 12x is not a mobile prefix
        "2019年4月16日",
    ],
)
def test_office_numbers_and_other_digits_do_not_fire(check, text):
    assert personal(check, text) == []


def test_bank_card_fires_masked(check):
    [finding] = personal(check, f"卡号{VALID_CARD}")
    assert (finding.rule, finding.matched) == ("bank_card_number", "6222********7894")
    [grouped] = personal(check, "卡号 6222 0212 3456 7894")
    assert grouped.matched == "6222 **** **** 7894"


def test_card_number_failing_luhn_does_not_fire(check):
    assert personal(check, "卡号6222021234567895") == []


@given(st.randoms(use_true_random=False))
def test_generated_id_numbers_are_valid_exactly_with_their_check_character(rng: random.Random):
    body = f"{rng.choice(['110105', '370502', '440524'])}{rng.randint(1950, 2020)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    right = ric.calc_check_digit(body + "?")  # stdnum ignores the last character
    wrong = rng.choice([c for c in "0123456789X" if c != right])
    assert is_id_number(body + right)
    assert not is_id_number(body + wrong)


@given(st.text(alphabet="0123456789", min_size=15, max_size=18), st.sampled_from("一，。 "))
def test_luhn_valid_cards_fire_and_never_leak_middle_digits(screener, body, before):
    number = ("6" + body)[:18]
    number += luhn.calc_check_digit(number)
    text = f"卡号{before}{number}。"
    findings = [f for f in screener.check(text) if f.category == CATEGORY]
    if is_id_number(number):
        return  # an ID number that happens to pass Luhn is reported as an ID
    [finding] = findings
    assert finding.rule == "bank_card_number"
    assert text[finding.start : finding.end] == number
    assert finding.matched == number[:4] + "*" * (len(number) - 8) + number[-4:]
