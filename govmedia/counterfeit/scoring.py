"""How much a platform account looks like a counterfeit of a registered government account.

Pure (no Django): the caller passes the candidate, the registered accounts and the district's
place names, and gets a score from 0 to 100 with the reasons that make it up, so a reviewer sees
why a case was opened. Deterministic: the same inputs give the same score and the same reasons.

What counts, after 通知第五部分（二）"对发现的假冒政务新媒体，要及时要求第三方运营平台立即关停":
- a name like a registered account's: the same characters (rapidfuzz), the same sound (pypinyin,
  without tones: 定淘发布 reads as 定陶发布), or the registered name with something added;
- a government-sounding name (发布, 人民政府, 公安 … or a place name of the district) that is not
  in the registry;
- not verified by the platform, or verified as a company while bearing a government name.
An account whose handle is registered on the same platform is the genuine one: score 0.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

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


def name_similarity(candidate: str, registered: str) -> Similarity:
    """0–100: the best of character, sound and containment similarity, explained."""
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
    short, long_ = (b, a) if len(b) <= len(a) else (a, b)
    if _contains(short, long_):
        scored.append((90.0, f"名称包含“{short}”"))
    elif _contains(*sorted((sa, sb), key=len)):
        scored.append((90.0, "读音包含已登记名称"))
    best = max(value for value, _ in scored)
    return Similarity(best, [text for value, text in scored if value >= MATCH_FLOOR])


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


def _best_match(candidate: Candidate, registry: list[Registered]):
    best = None
    for account in registry:
        name_sim = name_similarity(candidate.display_name, account.name)
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
    strong = next((cue for cue in STRONG_CUES if cue in text), None)
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
    return None


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
    best = _best_match(candidate, registry)
    if best is not None and best[2] >= MATCH_FLOOR:
        _, matched, similarity, explain = best
        platform = matched.platform_label or matched.platform
        where = "，".join(part for part in (matched.host_org, platform) if part)
        reasons.append(
            Reason(
                "similar_name",
                _similarity_points(similarity),
                f"与已登记的“{matched.name}”（{where}）相似：{'；'.join(explain)}",
            )
        )
    cues = _cue_reasons(candidate.display_name, place_names)
    reasons.extend(cues)
    # Verification matters only for an account that looks governmental in the first place.
    if matched is not None or any(reason.code == "gov_cue" for reason in cues):
        verification = _verification_reason(candidate)
        if verification is not None:
            reasons.append(verification)
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
