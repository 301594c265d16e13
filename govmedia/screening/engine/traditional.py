"""Traditional → simplified, one character at a time, precomputed from OpenCC once.

OpenCC converts phrases (乾隆 stays 乾隆), which can change a text's length and would break
the offset map. Folding character by character keeps it exact; text and lexicon terms go
through the same table, so they still meet.
"""

from functools import cache

import opencc

# Unified CJK, extension A, compatibility ideographs, extensions B–H.
_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
    (0x30000, 0x323AF),
)


@cache
def traditional_to_simplified() -> dict[str, str]:
    """Map each traditional character to its single simplified character."""
    chars = [chr(code) for first, last in _CJK_RANGES for code in range(first, last + 1)]
    # One character per line: OpenCC never joins across a newline into a phrase.
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        raise RuntimeError("OpenCC changed the number of lines; cannot build a per-character table")
    return {
        old: new for old, new in zip(chars, converted, strict=True) if old != new and len(new) == 1
    }
