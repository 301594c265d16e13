"""Wrong forms of official titles (规范表述), matched in the folded view.

    山东省省委书记 → 山东省委书记         (the committee is the 省委, not the 省's 省委)
    原教育部部长 → 教育部原部长           (原 qualifies the post, not the ministry)
    菏泽市长 → 菏泽市市长                 (the city is 菏泽市)
    定陶区政法委书记 → 定陶区委政法委书记  (the 政法委 belongs to the party committee)

山东省委书记, 山东省省长 and 菏泽市市长 are correct and do not match. Each pattern opens with
a literal or a small character set, so the regex engine skips ahead quickly; names before
it (province, city, the ministry after 原) are then checked in Python.
"""

import re
from itertools import islice

from ..categories import Category, Severity
from ..document import Document
from ..finding import Finding
from ..limits import MAX_HITS_PER_RULE
from .anchored import finditer_at

_BASIS = "新华社新闻信息报道中的禁用词和慎用词（2016）；通知第四部分（一）"

# fmt: off
_PROVINCES = [
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
    "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
]
# fmt: on
# Prefecture-level cities named without 市 in the usual mistake: Shandong's, the provincial
# capitals and the separately planned cities. Not every city; extend when needed.
# fmt: off
_CITIES = [
    "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂",
    "德州", "聊城", "滨州", "菏泽", "北京", "天津", "上海", "重庆", "石家庄", "太原", "呼和浩特", "沈阳",
    "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "郑州", "武汉", "长沙", "广州", "南宁",
    "海口", "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "大连", "宁波",
    "厦门", "深圳",
]
# fmt: on
# 长 that starts another word right after 市: 济南市长清区, 北京市长安街, 武汉市长江大桥, 市长效机制.
_NOT_MAYOR = "清安宁寿乐丰岛兴沙春治葛垣武子泰汀顺阳岭白海江城征途期效远久足廊河跑"

_PROVINCE_COMMITTEE = re.compile(r"省省(委|政府)")
_MAYOR = re.compile(rf"市长(?![{_NOT_MAYOR}])")
_PARTY_ORGAN = re.compile(r"([省市区县])(政法委|组织部|宣传部|统战部)")
# 部部长, 局副局长 …: the organ char, an optional 副, the organ char again, 长.
_DOUBLED_HEAD = re.compile(r"([部局厅司署处科])(副?)\1长")
# What may stand between 原 and the organ: up to 12 chars of a name, no function words.
_ORGAN_NAME = re.compile(r"[^\W\d_的由与及是在对为将把被从向了着过等或]{1,12}")
# 原则, 原来, 原因 … and 太原, 平原, 还原 … are words of their own, not "former".
_NOT_FORMER_BEFORE = frozenset("则来因本有始先告料创件籍址地理样状定计审判型文稿价貌")
_NOT_FORMER_AFTER = frozenset("太平草高中还复燎荒雪冰病抗本五九")


# Each rule is a detector of its own, run only when one of its anchors occurs in the text and
# tried only where one does: a match begins at an anchor (one char before, for party organs).
PROVINCE_COMMITTEE_ANCHORS = ("省省委", "省省政府")
FORMER_HEAD_ANCHORS = tuple(
    organ + deputy + organ + "长" for organ in "部局厅司署处科" for deputy in ("", "副")
)
CITY_MAYOR_ANCHORS = ("市长",)
PARTY_ORGAN_ANCHORS = ("政法委", "组织部", "宣传部", "统战部")


def province_committees(document: Document, starts: list[int] | None = None) -> list[Finding]:
    return _findings(document, _province_committees(document.folded, starts))


def former_heads(document: Document, starts: list[int] | None = None) -> list[Finding]:
    return _findings(document, _former_heads(document.folded, starts))


def city_mayors(document: Document, starts: list[int] | None = None) -> list[Finding]:
    return _findings(document, _city_mayors(document.folded, starts))


def party_organs(document: Document, starts: list[int] | None = None) -> list[Finding]:
    if starts is not None:  # the level char before the organ
        starts = [start - 1 for start in starts if start]
    return _findings(document, _party_organs(document.folded, starts))


def _province_committees(folded: str, starts):
    for match in islice(finditer_at(_PROVINCE_COMMITTEE, folded, starts), MAX_HITS_PER_RULE):
        province = _name_before(folded, match.start(), _PROVINCES)
        start = match.start() - len(province)
        yield start, match.end(), "title_province_committee", f"{province}省{match.group(1)}"


def _former_heads(folded: str, starts):
    for match in islice(finditer_at(_DOUBLED_HEAD, folded, starts), MAX_HITS_PER_RULE):
        former = _former_before(folded, match.start())
        if former is None:
            continue
        organ, deputy = folded[former + 1 : match.start()] + match.group(1), match.group(2)
        yield former, match.end(), "title_former_head", f"{organ}原{deputy}{match.group(1)}长"


def _former_before(folded: str, organ_end: int) -> int | None:
    """Index of the 原 ("former") that opens the organ name ending at ``organ_end``, if any:
    the leftmost 原 within reach that is a word of its own and followed by a plausible name."""
    position = max(0, organ_end - 13)
    while (position := folded.find("原", position, organ_end)) >= 0:
        name = folded[position + 1 : organ_end]  # the organ's name without its last char
        if (
            folded[position + 1 : position + 2] not in _NOT_FORMER_BEFORE
            and (position == 0 or folded[position - 1] not in _NOT_FORMER_AFTER)
            and (not name or _ORGAN_NAME.fullmatch(name))
        ):
            return position
        position += 1
    return None


def _city_mayors(folded: str, starts):
    for match in islice(finditer_at(_MAYOR, folded, starts), MAX_HITS_PER_RULE):
        deputy = "副" if folded.startswith("副", match.start() - 1) else ""
        city = _name_before(folded, match.start() - len(deputy), _CITIES)
        if city:
            start = match.start() - len(deputy) - len(city)
            yield start, match.end(), "title_city_mayor", f"{city}市{deputy}市长"


def _party_organs(folded: str, starts):
    for match in islice(finditer_at(_PARTY_ORGAN, folded, starts), MAX_HITS_PER_RULE):
        level, organ = match.groups()
        yield match.start(), match.end(), "title_party_organ", f"{level}委{organ}"


def _name_before(folded: str, end: int, names: list[str]) -> str:
    """The name among ``names`` that ends at folded[end], or ""."""
    return next(
        (name for name in names if end >= len(name) and folded.startswith(name, end - len(name))),
        "",
    )


def _findings(document: Document, hits) -> list[Finding]:
    """Findings for (folded start, end, rule, suggestion) hits that are plausible."""
    return [finding for hit in hits if (finding := _finding(document, *hit)) is not None]


def _finding(
    document: Document, start: int, end: int, rule: str, suggestion: str
) -> Finding | None:
    span = document.locate(start, end)
    if span is None:
        return None
    original_start, original_end = span
    return Finding(
        Category.POLITICAL_EXPRESSION,
        rule,
        Severity.WARN,
        original_start,
        original_end,
        document.original[original_start:original_end],
        suggestion=suggestion,
        basis=_BASIS,
    )
