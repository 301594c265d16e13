"""Regex and algorithmic detectors, each a module with ``detect(document) -> list[Finding]``.

A detector may name anchors: folded literals one of which begins in the folded view wherever
(or a fixed distance after where) a match of its own can begin. The screener adds them to its
automaton, so the single lexicon scan also says which detectors need to run at all, and where:
such a detector is called as ``detect(document, starts)``, ``starts`` the folded indices at
which its anchors begin, ascending, and tries its pattern there only (see anchored.py).
"""

from collections.abc import Callable
from typing import NamedTuple

from ..finding import Finding
from . import classified, doubled, personal_data, titles


class Detector(NamedTuple):
    detect: Callable[..., list[Finding]]  # (document) or, with anchors, (document, starts)
    anchors: tuple[str, ...] = ()  # empty: always run


DEFAULT_DETECTORS = (
    Detector(personal_data.detect),  # digits are everywhere; its regex skips non-digits fast
    Detector(classified.detect, classified.ANCHORS),
    Detector(titles.province_committees, titles.PROVINCE_COMMITTEE_ANCHORS),
    Detector(titles.former_heads, titles.FORMER_HEAD_ANCHORS),
    Detector(titles.city_mayors, titles.CITY_MAYOR_ANCHORS),
    Detector(titles.party_organs, titles.PARTY_ORGAN_ANCHORS),
    Detector(doubled.detect, doubled.ANCHORS),
)

# Display names for the detector rules, for the UI.
DETECTOR_RULES = {
    "id_number": "居民身份证号码",
    "bank_card_number": "银行卡号",
    "mobile_number": "手机号码",
    "classified_marker": "密级标识",
    "title_province_committee": "省省委（应为省委）",
    "title_former_head": "原××部部长（应为××部原部长）",
    "title_city_mayor": "××市长（应为××市市长）",
    "title_party_organ": "××区政法委（应为××区委政法委）",
    "doubled_level": "重复的层级字（区区委）",
}
