"""The fixed codes a finding is classified under; the Django layer stores these strings."""

from enum import StrEnum


class Category(StrEnum):
    POLITICAL_EXPRESSION = "political_expression"  # 规范表述
    SENSITIVE = "sensitive"  # 敏感词
    CLASSIFIED = "classified"  # 涉密标识
    PERSONAL_DATA = "personal_data"  # 个人信息
    ADVERTISING = "advertising"  # 广告、极限词
    UNOFFICIAL_SOURCE = "unofficial_source"  # 非官方来源
    TYPO = "typo"  # 常见差错


class Severity(StrEnum):
    BLOCK = "block"  # may not be published
    WARN = "warn"  # a reviewer must acknowledge it


# A lexicon entry with this context fires only near a commerce cue (广告法第九条 极限词).
COMMERCIAL_CONTEXT = "commercial"
CONTEXTS = ("", COMMERCIAL_CONTEXT)
