"""Where a small edit probably changes a person's or a place's name.

Without a word segmenter (jieba is not a dependency) names are not found in the text; only
the replacements and insertions the character diff shows (edits.py) are judged, and
conservatively. A replacement of 1–4 Chinese characters by 1–4 others changes a name when

- it stands beside a title or role word, touching it or one or two characters away (副区长
  张建国主持: 张, 建 and 国 are all within reach of 区长 or 主持) — a person's name;
- it ends right before a place word (王庄村, 天中街道) — a place's name;
- or both sides start with a common surname (张建国 → 李建国, 黄店镇 → 张店镇) — either.

An insertion adds a name when a surname in it stands so beside a role word (副区长主持 →
副区长、区长助理王明主持). A single character fixed anywhere else (的 → 地, 在 → 再) is a typo.

Limits, known and accepted:
- a name changed away from any role or place word, into a name that does not start with one
  of the surnames below (张建国 → 章建国), or a given name changed far from a title, passes;
- a replacement longer than four characters is not read as a name (it still lowers the score);
- a typo fixed within two characters of a role word (区长认真的 → 区长认真地), or right before
  村, is taken for a name change and the post is refused; so is a byline naming someone beside
  a role word. These err on the side the notice requires (先审后发: in doubt, it is not the
  approved text), and the reason names the edit for a person to check.
"""

import re

# About 110 of the most common single-character surnames, roughly by frequency.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许邓韩冯曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾"
    "龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪牛"
)

# Titles and roles that stand right next to a person's name, and the verbs of a meeting report
# that follow one (张建国主持, 王明出席). Not 表示, 要求, 代表 (words of ordinary prose), nor 记者
# or 编辑 (a byline a platform editor adds is left to the similarity score).
ROLE_WORDS = (
    "书记", "区长", "县长", "市长", "省长", "镇长", "乡长", "主任", "局长", "处长", "科长",
    "所长", "站长", "院长", "校长", "部长", "主席", "委员", "常委", "同志", "先生", "女士",
    "经理", "董事长", "组长", "队长", "馆长", "会长", "秘书长", "负责人", "支书",
    "主持", "出席", "讲话", "指出", "强调", "调研", "带队", "一行",
)  # fmt: skip

_ROLE = re.compile("|".join(sorted(ROLE_WORDS, key=len, reverse=True)))
_LONGEST_ROLE = max(map(len, ROLE_WORDS))

# Places named by what precedes them (天中街道, 王庄村): the name touches the word.
PLACE_WORDS = ("街道", "社区", "村")

# How far from a role word a changed character may be and still be part of the name beside
# it: a surname and a given name of up to two characters.
_NAME_REACH = 2


def name_kind(before: str, after: str, deleted: str, inserted: str) -> str | None:
    """What kind of name a replacement of ``deleted`` by ``inserted`` between ``before`` and
    ``after`` (the text around it) changes: "人名", "地名", "人名或地名", or None when it
    stands at no name position (a typo fixed: 的 → 地)."""
    if _beside_role_word(before, after):
        return "人名"
    if after.startswith(PLACE_WORDS):
        return "地名"
    if deleted[:1] in SURNAMES and inserted[:1] in SURNAMES:  # 张建国 → 李建国, 黄店 → 张店
        return "人名或地名"
    return None


def added_name(before: str, after: str, inserted: str) -> bool:
    """Whether an insertion brings in a name beside a role word, before or after it:
    副区长主持 → 副区长、区长助理王明主持 (王 starts a name two characters before 主持)."""
    text = before + inserted + after
    for at in range(len(before), len(before) + len(inserted)):
        if text[at] in SURNAMES and _beside_role_word(text[:at], text[at + 1 :]):
            return True
    return False


def _beside_role_word(before: str, after: str) -> bool:
    # A role word ending at most _NAME_REACH characters before the span, or starting at most
    # that far after it.
    tail = before[-(_LONGEST_ROLE + _NAME_REACH) :]
    if any(found.end() >= len(tail) - _NAME_REACH for found in _ROLE.finditer(tail)):
        return True
    found = _ROLE.search(after, 0, _LONGEST_ROLE + _NAME_REACH)
    return found is not None and found.start() <= _NAME_REACH
