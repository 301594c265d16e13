"""/api/v1/screening: screen a text, and read or maintain the lexicons."""

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import Forbidden
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import Flag, VersionIn
from govmedia.core.scope import get_scoped, may

from . import selectors, services
from .models import LexiconTerm
from .screen import screen_text

router = Router(tags=["内容审查"])


class CheckIn(Schema):
    text: str = Field(description="待审查文本（UTF-8，不超过 10 MB）")
    html: Flag = Field(False, description="按 HTML 解析：标签与脚本不计入正文，位置仍指向原文")


class ScreeningFindingOut(Schema):
    category: str = Field(description="类别代码，如 political_expression、personal_data")
    rule: str = Field(description="命中的词条，或检测规则名（如 id_number）")
    severity: str = Field(description="block（禁止发布）或 warn（提醒核实）")
    start: int = Field(description="在原文中的起始位置（按字符计，含）")
    end: int = Field(description="结束位置（不含）")
    matched: str = Field(description="原文片段；个人信息已脱敏")
    suggestion: str
    basis: str


class CheckOut(Schema):
    findings: list[ScreeningFindingOut]
    lexicon_version: int = Field(description="所用词库版本；同一文本与同一版本总得到同一结果")


@router.post("/check", response=CheckOut, summary="审查一段文本")
def check(request, payload: CheckIn):
    """同一文本在同一词库版本下总是得到相同结果。适用全区词库及调用者所在单位（含上级单位）的词条。"""
    user = request.auth
    if not may(user, "screening.check"):
        raise Forbidden("您无权使用内容审查")
    return screen_text(text=payload.text, org=user.org, html=payload.html).as_json()


class TermOut(Schema):
    id: Id
    term: str
    category: str
    severity: str
    suggestion: str
    basis: str
    note: str
    whitelist: bool
    context: str
    is_active: bool
    owner_org_id: Id | None = Field(description="归属单位；null 表示全区通用词库")
    source: str
    version: int


class TermIn(Schema):
    term: str
    category: str = Field("", description="类别代码；白名单词条可为空（对全部类别生效）")
    severity: str = Field("warn", description="block 或 warn；白名单词条忽略")
    suggestion: str = ""
    basis: str = ""
    note: str = ""
    whitelist: Flag = False
    context: str = Field("", description="空或 commercial（仅商业语境）")


class TermPatch(Schema):
    version: int = Field(description="读取时的版本号，用于发现并发修改")
    term: str | None = None
    category: str | None = None
    severity: str | None = None
    suggestion: str | None = None
    basis: str | None = None
    note: str | None = None
    whitelist: Flag | None = None
    context: str | None = None


@router.get("/lexicon", response=list[TermOut], summary="词库列表")
@paginate(LimitOffset)
def list_terms(
    request,
    q: str = "",
    category: str = "",
    severity: str = "",
    owner: str = Query("", description="district（全区通用）或单位编号"),
    active: str = Query("", description="1 启用，0 停用"),
):
    return selectors.filtered_terms(
        request.auth, q=q, category=category, severity=severity, owner=owner, active=active
    )


@router.get("/lexicon/{term_id}", response=TermOut, summary="词条详情")
def get_term(request, term_id: Id):
    return get_scoped(LexiconTerm.objects, request.auth, term_id)


IDEMPOTENCY_KEY = api_key_param()


@router.post("/lexicon", response={201: TermOut}, summary="添加词条")
def create_term(request, payload: TermIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    pk, _ = create_once(
        actor=request.auth,
        scope="lexicon.create",
        key=idempotency_key,
        create=lambda: services.lexicon_term_create(actor=request.auth, **payload.dict()),
        content=fingerprint(payload.dict()),
    )
    return Status(201, get_scoped(LexiconTerm.objects, request.auth, pk))


@router.patch("/lexicon/{term_id}", response=TermOut, summary="修改词条")
def update_term(request, term_id: Id, payload: TermPatch):
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes = {name: value for name, value in data.items() if value is not None}
    return services.lexicon_term_update(
        actor=request.auth, term_id=term_id, version=version, **changes
    )


@router.post("/lexicon/{term_id}/disable", response=TermOut, summary="停用词条")
def disable_term(request, term_id: Id, payload: VersionIn):
    return services.lexicon_term_disable(
        actor=request.auth, term_id=term_id, version=payload.version
    )


@router.post("/lexicon/{term_id}/enable", response=TermOut, summary="启用词条")
def enable_term(request, term_id: Id, payload: VersionIn):
    return services.lexicon_term_enable(
        actor=request.auth, term_id=term_id, version=payload.version
    )
