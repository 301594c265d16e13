"""How much a platform account looks like a counterfeit of a registered government account.

Pure (no Django): the caller passes the candidate, the registered accounts and the district's
place names, and gets a score from 0 to 100 with the reasons that make it up, so a reviewer sees
why a case was opened. Deterministic: the same inputs give the same score and the same reasons.

What counts, after 通知第五部分（二）"对发现的假冒政务新媒体，要及时要求第三方运营平台立即关停":
- a name like a registered account's: the same characters (rapidfuzz), the same sound (pypinyin,
  without tones: 定淘发布 reads as 定陶发布), the registered name with something added, the
  registered name written in pinyin (dingtaofabu, "Dìngtáo Fābù") or by its initials (dtfb), or
  the same unit under its full name and its abbreviation (定陶区人力资源和社会保障局 ↔ 定陶人社;
  the table of county-level departments is data: data/names.json) — but not when all the two
  names share is a place name (定陶美食 is not 定陶粮食);
- a government-sounding name (发布, 人民政府, 公安 … or a place name of the district) that is not
  in the registry;
- not verified by the platform, or verified as a company while bearing a government name;
- against: a commercial word (房产, 二手车, 旅游攻略 …, data/names.json).
An account whose handle is registered on the same platform is the genuine one: score 0.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

# Similarity (0–100) below which a registered account is not taken as the one imitated.
MATCH_FLOOR = 60
SIMILARITY_POINTS = 60
STRONG_CUE_POINTS = 20
WEAK_CUE_POINTS = 10
PLACE_POINTS = 15
UNVERIFIED_POINTS = 15
COMPANY_VERIFIED_POINTS = 20
GOVERNMENT_VERIFIED_POINTS = -20
COMMERCIAL_POINTS = -30
PINYIN_SAME = 100.0  # the registered name's full pinyin
INITIALS_SAME = 95.0  # its initials (dtfb)
UNIT_SAME = 95.0  # the same unit, full name against abbreviation
CONTAINED = 90.0
NAME_DATA = Path(__file__).with_name("data") / "names.json"


@dataclass(frozen=True)
class NameData:
    """The departments' full names and abbreviations, unit suffixes and commercial words."""

    contractions: tuple[tuple[str, str], ...]  # (full name, its abbreviation), longest first
    tokens: tuple[str, ...]  # the abbreviations names are compared in, longest first
    cues: tuple[str, ...]  # government words among them (full names and distinctive shorts)
    suffixes: tuple[str, ...]
    commercial: tuple[str, ...]


def _longest_first(words) -> tuple[str, ...]:
    # Ties in a fixed order, so that the word a reason names never depends on set order.
    return tuple(sorted(set(words), key=lambda word: (-len(word), word)))


def load_name_data(path: Path = NAME_DATA) -> NameData:
    raw = json.loads(path.read_text(encoding="utf-8"))
    contractions, tokens, cues = [], set(), []
    for unit in raw["units"]:
        canonical = unit["short"][0]
        tokens.add(canonical)
        for name in [*unit["full"], *unit["short"][1:]]:
            if name != canonical:
                contractions.append((name, canonical))
        cues.extend(unit["full"])
        if not unit.get("not_cue"):
            cues.extend(unit["short"])
    contractions.sort(key=lambda pair: -len(pair[0]))
    return NameData(
        contractions=tuple(contractions),
        tokens=_longest_first(tokens),
        cues=_longest_first(cues),
        suffixes=_longest_first(raw["unit_suffixes"]),
        commercial=_longest_first(normalize(word) for word in raw["commercial_words"]),
    )


# Words that make a name sound like a government body. Strong: only a government uses them.
STRONG_CUES = (
    "人民政府",
    "政府",
    "政务",
    "办事处",
    "街道",
    "公安",
    "派出所",
    "交警",
    "消防",
    "税务",
    "卫健",
    "卫生健康",
    "市场监管",
    "市场监督",
    "民政",
    "人社",
    "医保",
    "应急管理",
    "网信",
    "宣传部",
    "委员会",
    "法院",
    "检察院",
    "纪委",
    "监委",
    "党委",
    "融媒",
)
# Weak: common in government account names but also used by others ("XX美食发布").
WEAK_CUES = ("发布", "镇", "乡", "局", "在线", "之声", "便民", "官方")

# A verified subject naming one of these is a government body (or its 事业单位).
GOVERNMENT_SUBJECT = re.compile(
    r"(人民政府|政府|办事处|委员会|局|厅|法院|检察院|党委|机关|大队|支队|派出所|"
    r"办公室|融媒体中心|服务中心|街道|镇|乡|宣传部|网信办)"
)
COMPANY_SUBJECT = re.compile(r"(公司|工作室|商行|店|厂|个体|个人|传媒|文化|科技|网络)")

_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    platform: str  # Platform.code, e.g. "wechat-mp"
    handle: str
    display_name: str
    verified: bool = False
    verified_reason: str = ""
    # False where the platform does not say (WeChat's and Kuaishou's APIs): no evidence either way.
    verification_known: bool = True


@dataclass(frozen=True)
class Registered:
    """A registered government account (running or suspended: a cancelled one is no model)."""

    platform: str
    handle: str
    name: str
    host_org: str = ""
    account_id: int | None = None
    platform_label: str = ""  # as shown to people, e.g. 微信公众号


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    text: str

    def as_dict(self) -> dict:
        return {"code": self.code, "points": self.points, "text": self.text}


@dataclass(frozen=True)
class Assessment:
    score: int  # 0–100
    reasons: tuple[Reason, ...] = ()
    matched: Registered | None = None  # the registered account it imitates, if any
    similarity: float = 0.0  # to `matched`
    genuine: bool = False  # the candidate IS a registered account

    def reasons_json(self) -> list[dict]:
        return [reason.as_dict() for reason in self.reasons]


@dataclass(frozen=True)
class Similarity:
    value: float
    explain: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, no spaces or punctuation."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text or "")).lower()


@lru_cache(maxsize=20_000)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin, one item per Chinese character (other runs kept as they are)."""
    return tuple(part for part in lazy_pinyin(text) if part.strip())


def _contains(shorter, longer) -> bool:
    """`shorter` (of at least 3 items) appears in `longer` as a contiguous run."""
    size = len(shorter)
    if size < 3 or size >= len(longer):
        return False
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


@lru_cache(maxsize=1)
def name_data() -> NameData:
    return load_name_data()


def latin(text: str) -> str:
    """Lower-case letters and digits without tone marks or spaces: "Dìngtáo Fābù" → dingtaofabu;
    ü (written v in typed pinyin) as u."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return normalize(bare).replace("v", "u")


@lru_cache(maxsize=20_000)
def romanised(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, toneless and joined: 定陶发布 → (dingtaofabu, dtfb).
    Latin runs are kept as they are (lower case, without tone marks)."""
    parts = [latin(part) for part in lazy_pinyin(normalize(text))]
    parts = [part for part in parts if part]
    return "".join(parts), "".join(part[0] for part in parts)


@lru_cache(maxsize=20_000)
def unit_form(text: str, places: tuple[str, ...] = ()) -> str:
    """A unit's name in the form names are compared in: full department names contracted to their
    abbreviations (住房和城乡建设 → 住建), a place's 区/县/市/镇 dropped (定陶区 → 定陶), the city
    before the district dropped (菏泽定陶 → 定陶), and the unit suffix after a department
    (卫健局 → 卫健) dropped: 菏泽市定陶区卫生健康局 and 定陶卫健 both read 定陶卫健."""
    data = name_data()
    form = normalize(text)
    for full, short in data.contractions:
        form = form.replace(full, short)
    for place in places:
        # 市 only as a level (菏泽市), not as the start of a word (定陶市场监管).
        form = re.sub(f"{re.escape(place)}(?:区|县|镇|乡|街道|市(?![场民政容]))", place, form)
    for first in places:
        for second in places:
            if first != second and form.startswith(first + second):
                form = form[len(first) :]
    for token in data.tokens:
        for suffix in data.suffixes:
            if form.endswith(token + suffix):
                return form[: -len(suffix)]
    return form


def _shared_token(a: str, b: str) -> str | None:
    return next((token for token in name_data().tokens if token in a and token in b), None)


def name_similarity(candidate: str, registered: str, places: tuple[str, ...] = ()) -> Similarity:
    """0–100: the best of character, sound, pinyin, abbreviation and containment similarity,
    explained; below MATCH_FLOOR when the two names share only a place name."""
    best = _name_similarity(candidate, registered, places)
    if best.value < MATCH_FLOOR:
        return best
    a, b = unit_form(candidate, tuple(places)), unit_form(registered, tuple(places))
    shared = [place for place in places if place and place in a and place in b]
    if shared:
        for place in places:
            a, b = a.replace(place, ""), b.replace(place, "")
        rest = _name_similarity(a, b, ())
        if rest.value < MATCH_FLOOR:
            return Similarity(rest.value, [f"除地名“{shared[0]}”外名称不同（{rest.value:.0f}%）"])
    return best


def _name_similarity(candidate: str, registered: str, places: tuple[str, ...]) -> Similarity:
    a, b = normalize(candidate), normalize(registered)
    if not a or not b:
        return Similarity(0.0)
    if a == b:
        return Similarity(100.0, ["名称完全相同"])
    char_ratio = fuzz.ratio(a, b)
    sa, sb = syllables(a), syllables(b)
    sound_ratio = fuzz.ratio(sa, sb)
    scored = [(char_ratio, f"字形相似度 {char_ratio:.0f}%")]
    if sa == sb:
        scored.append((100.0, f"读音相同（{' '.join(sa)}）"))
    elif sound_ratio > char_ratio:
        scored.append((sound_ratio, f"读音相似度 {sound_ratio:.0f}%"))
    scored.extend(_pinyin_scores(candidate, registered))
    scored.extend(_unit_scores(candidate, registered, places))
    short, long_ = (b, a) if len(b) <= len(a) else (a, b)
    if _contains(short, long_):
        scored.append((CONTAINED, f"名称包含“{short}”"))
    elif _contains(*sorted((sa, sb), key=len)):
        scored.append((CONTAINED, "读音包含已登记名称"))
    best = max(value for value, _ in scored)
    return Similarity(best, [text for value, text in scored if value >= MATCH_FLOOR])


def _pinyin_scores(candidate: str, registered: str) -> list[tuple[float, str]]:
    """A candidate written (partly) in Latin letters against the registered name's pinyin, as one
    string: the whole romanisation, with or without spaces or tone marks, or the initials."""
    if not re.search(r"[a-z]", latin(candidate)):
        return []
    spelled, _ = romanised(candidate)
    full, initials = romanised(registered)
    if not spelled or not full:
        return []
    if spelled == full:
        return [(PINYIN_SAME, f"拼音与“{registered}”的全拼相同（{full}）")]
    if len(initials) >= 3 and spelled == initials:
        return [(INITIALS_SAME, f"与“{registered}”的拼音首字母相同（{initials}）")]
    if len(full) >= 6 and full in spelled:
        return [(CONTAINED, f"拼音包含“{registered}”的全拼（{full}）")]
    ratio = fuzz.ratio(spelled, full)
    return [(ratio, f"与“{registered}”的全拼（{full}）相似度 {ratio:.0f}%")]


def _unit_scores(candidate: str, registered: str, places) -> list[tuple[float, str]]:
    """The same department under its full name and its abbreviation (data/names.json)."""
    a, b = unit_form(candidate, tuple(places)), unit_form(registered, tuple(places))
    if (a, b) == (normalize(candidate), normalize(registered)) or not _shared_token(a, b):
        return []
    if a == b:
        return [(UNIT_SAME, f"与“{registered}”为同一单位的全称与简称（{a}）")]
    ratio = fuzz.ratio(a, b)
    return [(ratio, f"按单位简称比较相似度 {ratio:.0f}%（{a} / {b}）")]


def handle_similarity(candidate: str, registered: str) -> float:
    """Only handles of letters long enough to mean something (a numeric UID proves nothing)."""
    a, b = normalize(candidate), normalize(registered)
    if min(len(a), len(b)) < 6 or not re.search(r"[a-z]", a + b):
        return 0.0
    ratio = fuzz.ratio(a, b)
    return ratio if ratio >= 85 else 0.0


def _similarity_points(value: float) -> int:
    # 60 % similar earns nothing, 100 % earns everything; in between, in proportion.
    if value < MATCH_FLOOR:
        return 0
    return round(SIMILARITY_POINTS * (value - MATCH_FLOOR) / (100 - MATCH_FLOOR))


def _best_match(candidate: Candidate, registry: list[Registered], places: tuple[str, ...] = ()):
    best = None
    for account in registry:
        name_sim = name_similarity(candidate.display_name, account.name, places)
        value, explain = name_sim.value, list(name_sim.explain)
        if account.platform == candidate.platform:
            handle_sim = handle_similarity(candidate.handle, account.handle)
            if handle_sim > value:
                value = handle_sim
                explain.append(f"账号相似度 {handle_sim:.0f}%（{account.handle}）")
        # Ties go to the same platform, then to the registry's own order (deterministic).
        key = (value, account.platform == candidate.platform)
        if best is None or key > best[0]:
            best = (key, account, value, explain)
    return best


def _cue_reasons(name: str, place_names: tuple[str, ...]) -> list[Reason]:
    reasons = []
    text = normalize(name)
    strong = next((cue for cue in (*STRONG_CUES, *name_data().cues) if cue in text), None)
    weak = next((cue for cue in WEAK_CUES if cue in text), None)
    if strong:
        reasons.append(Reason("gov_cue", STRONG_CUE_POINTS, f"名称含政务机构用语“{strong}”"))
    elif weak:
        reasons.append(Reason("gov_cue", WEAK_CUE_POINTS, f"名称含政务账号常用语“{weak}”"))
    place = _place_in(text, place_names)
    if place:
        reasons.append(Reason("place", PLACE_POINTS, place))
    return reasons


def _place_in(text: str, place_names: tuple[str, ...]) -> str | None:
    sounds = syllables(text)
    for place in place_names:
        if place and place in text:
            return f"名称含本区地名“{place}”"
    for place in place_names:
        place_sounds = syllables(place)
        if len(place_sounds) >= 2 and any(
            sounds[i : i + len(place_sounds)] == place_sounds for i in range(len(sounds))
        ):
            return f"名称含与本区地名“{place}”同音的字"
    spelled = latin(text)
    if re.search(r"[a-z]", spelled):
        for place in place_names:
            full, _ = romanised(place)
            if len(full) >= 4 and full in romanised(text)[0]:
                return f"名称含本区地名“{place}”的拼音（{full}）"
    return None


def _commercial_reason(name: str) -> Reason | None:
    text = normalize(name)
    word = next((word for word in name_data().commercial if word in text), None)
    if word is None:
        return None
    return Reason("commercial", COMMERCIAL_POINTS, f"名称含商业用语“{word}”，不像政务账号")


def _verification_reason(candidate: Candidate) -> Reason | None:
    subject = (candidate.verified_reason or "").strip()
    if not candidate.verification_known:
        return None
    if not candidate.verified:
        return Reason("unverified", UNVERIFIED_POINTS, "未经平台认证")
    if subject and GOVERNMENT_SUBJECT.search(subject) and not COMPANY_SUBJECT.search(subject):
        return Reason(
            "gov_verified",
            GOVERNMENT_VERIFIED_POINTS,
            f"认证主体为政府机关“{subject}”：可能是未备案的真实政务账号",
        )
    if subject:
        return Reason(
            "company_verified",
            COMPANY_VERIFIED_POINTS,
            f"认证主体“{subject}”不是政府机关，却使用政务名称",
        )
    return None


def is_genuine(candidate: Candidate, registry: list[Registered]) -> Registered | None:
    handle = normalize(candidate.handle)
    if not handle:
        return None
    for account in registry:
        if account.platform == candidate.platform and normalize(account.handle) == handle:
            return account
    return None


def assess(
    candidate: Candidate, registry: list[Registered], place_names: tuple[str, ...] = ()
) -> Assessment:
    """The score of one candidate against the registry, with its reasons."""
    genuine = is_genuine(candidate, registry)
    if genuine is not None:
        reason = Reason("genuine", 0, f"即已登记的政务新媒体“{genuine.name}”本身，不是假冒账号")
        return Assessment(0, (reason,), genuine, 100.0, genuine=True)

    reasons: list[Reason] = []
    matched, similarity = None, 0.0
    best = _best_match(candidate, registry, tuple(place_names))
    if best is not None and best[2] >= MATCH_FLOOR:
        _, matched, similarity, explain = best
        platform = matched.platform_label or matched.platform
        where = "，".join(part for part in (matched.host_org, platform) if part)
        reasons.append(
            Reason(
                "similar_name",
                _similarity_points(similarity),
                f"与已登记的“{matched.name}”{f'（{where}）' if where else ''}相似："
                + "；".join(explain),
            )
        )
    cues = _cue_reasons(candidate.display_name, place_names)
    reasons.extend(cues)
    # Verification matters only for an account that looks governmental in the first place.
    if matched is not None or any(reason.code == "gov_cue" for reason in cues):
        verification = _verification_reason(candidate)
        if verification is not None:
            reasons.append(verification)
    commercial = _commercial_reason(candidate.display_name)
    if commercial is not None:
        reasons.append(commercial)
    score = max(0, min(100, sum(reason.points for reason in reasons)))
    return Assessment(score, tuple(reasons), matched, similarity)


def place_names_from(district_name: str, unit_names: list[str]) -> tuple[str, ...]:
    """The district's place names: 菏泽市定陶区 gives 菏泽 and 定陶; 天中街道 gives 天中."""
    names = []
    for part in re.split(r"[省市区县]", district_name or ""):
        if len(part) >= 2:
            names.append(part)
    for unit in unit_names:
        stem = re.sub(r"(街道办事处|街道|镇人民政府|镇|乡人民政府|乡)$", "", unit or "")
        if len(stem) >= 2 and stem != unit:
            names.append(stem)
    return tuple(dict.fromkeys(names))
