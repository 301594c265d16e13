"""个人信息: ID numbers, bank card numbers and mobile numbers written in the text.

One pattern finds number-shaped tokens in the light view (full-width digits already folded);
each token is then classified. Stored values are masked (3701**********123X) so that the
finding itself does not leak the number; start/end still cover the original characters.
An office number such as 0530-2212021 starts with 0 and is no mobile number.
"""

import re
from itertools import islice

from ..categories import Category, Severity
from ..document import Document
from ..finding import Finding
from ..limits import MAX_HITS_PER_RULE
from .bank_card import is_bank_card_number
from .id_number import has_id_shape, is_id_number
from .mobile import is_mobile_number

_SEPARATOR = "[ \\-\u2010\u2011\u2013\u2014\uff0d\u00a0\u3000]"
_SEPARATORS = re.compile(_SEPARATOR)
# Bounded repeats only, and the token may not touch another digit on either side, so a
# longer run of digits is no number of ours and every attempt fails in constant time.
# It opens with one digit, then looks behind it for another, so that the regex engine can
# skip non-digits fast; each alternative below counts that first digit in.
_TOKEN = re.compile(
    rf"""[0-9](?<![0-9]{{2}})(?:
        [0-9]{{10,18}}[xX]?                                            # 11–19 digits (ID: 17 + X)
      | [0-9]{{5}}{_SEPARATOR}[0-9]{{8}}{_SEPARATOR}[0-9]{{3}}[0-9xX]  # ID grouped 6-8-4
      | [0-9]{{3}}(?:{_SEPARATOR}[0-9]{{4}}){{3}}(?:{_SEPARATOR}[0-9]{{1,4}})?  # card 4-4-4-4(-n)
      | [0-9]{{2}}{_SEPARATOR}[0-9]{{4}}{_SEPARATOR}[0-9]{{4}}         # mobile 3-4-4
    )(?![0-9A-Za-z])""",
    re.VERBOSE,
)

_BASIS = "《个人信息保护法》第四条、第二十八条；《政府信息公开条例》第十五条"


def detect(document: Document) -> list[Finding]:
    findings = []
    for token in islice(_TOKEN.finditer(document.light), 3 * MAX_HITS_PER_RULE):  # 3 rules
        kind = _classify(_SEPARATORS.sub("", token.group()))
        if kind is None:
            continue
        rule, severity, keep_head, keep_tail = kind
        start, end = document.original_span(token.start(), token.end())
        matched = mask(token.group(), keep_head, keep_tail).upper()  # check character X
        findings.append(
            Finding(Category.PERSONAL_DATA, rule, severity, start, end, matched, basis=_BASIS)
        )
    return findings


def _classify(value: str):
    """(rule, severity, digits kept at the head, at the tail), or None."""
    if is_id_number(value):
        return "id_number", Severity.BLOCK, 4, 4
    if has_id_shape(value):  # an ID with a wrong check character is no ID, and no card either
        return None
    if is_bank_card_number(value):
        return "bank_card_number", Severity.BLOCK, 4, 4
    if is_mobile_number(value):
        return "mobile_number", Severity.WARN, 3, 4
    return None


def mask(token: str, keep_head: int, keep_tail: int) -> str:
    """Replace all but the first and last few digits (or X) with *, keeping separators."""
    total = sum(char.isalnum() for char in token)
    masked, seen = [], 0
    for char in token:
        if char.isalnum():
            seen += 1
            if keep_head < seen <= total - keep_tail:
                char = "*"
        masked.append(char)
    return "".join(masked)
