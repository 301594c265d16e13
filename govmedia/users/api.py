from datetime import datetime

from django.db.models import Q
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.roles import Role
from govmedia.core.schemas import Flag
from govmedia.core.scope import get_scoped, may
from govmedia.orgs.models import Organization

from . import services
from .models import User

router = Router(tags=["用户"])


class UserOut(Schema):
    id: Id
    username: str
    name: str
    org_id: Id
    role: str
    role_label: str = Field(alias="get_role_display")
    phone: str
    email: str
    is_active: bool
    is_locked: bool
    totp_enabled: bool
    last_login: datetime | None
    version: int


class UserCreated(UserOut):
    initial_password: str = Field(description="初始密码，只返回这一次；用户首次登录须修改")


class UserIn(Schema):
    username: str
    name: str
    org_id: Id
    role: Role
    phone: str = ""
    email: str = ""


class UserPatch(Schema):
    version: int
    name: str | None = None
    org_id: Id | None = None
    role: Role | None = None
    phone: str | None = None
    email: str | None = None
    is_active: Flag | None = None


def _org(user, org_id: Id) -> Organization:
    try:
        return get_scoped(Organization.objects, user, org_id)
    except ServiceError:
        raise ServiceError(
            "所选单位不存在或不在您的管理范围内", field="org_id", code="invalid_reference"
        ) from None


def _require_view(user) -> None:
    if not may(user, "users.view"):
        raise Forbidden("您无权查看用户")


@router.get("/me", response=UserOut, summary="当前用户")
def me(request):
    return request.auth


@router.get("", response=list[UserOut], summary="用户列表")
@paginate(LimitOffset)
def list_users(request, q: str = "", role: Role | None = None, org_id: Id | None = None):
    _require_view(request.auth)
    users = User.objects.restrict(request.auth).order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(name__icontains=q))
    if role:
        users = users.filter(role=role)
    if org_id:
        users = users.filter(org_id=org_id)
    return users


@router.get("/{user_id}", response=UserOut, summary="用户详情")
def get_user(request, user_id: Id):
    _require_view(request.auth)
    return get_scoped(User.objects, request.auth, user_id)


IDEMPOTENCY_KEY = api_key_param()


@router.post("", response={201: UserCreated}, summary="新建用户")
def create_user(request, payload: UserIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """A repeated request (same Idempotency-Key) answers with the user, but the initial password
    is returned only once: an administrator who lost it resets it."""
    actor = request.auth
    created = {}

    def create():
        user, created["password"] = services.user_create(
            actor=actor,
            username=payload.username,
            name=payload.name,
            org=_org(actor, payload.org_id),
            role=payload.role,
            phone=payload.phone,
            email=payload.email,
        )
        return user

    pk, _ = create_once(
        actor=actor,
        scope="users.create",
        key=idempotency_key,
        create=create,
        content=fingerprint(payload.dict()),
    )
    user = get_scoped(User.objects, actor, pk)
    user.initial_password = created.get("password", "")
    return Status(201, user)


@router.patch("/{user_id}", response=UserOut, summary="修改用户")
def update_user(request, user_id: Id, payload: UserPatch):
    actor = request.auth
    current = get_scoped(User.objects, actor, user_id, "change")
    data = payload.dict(exclude_unset=True)
    return services.user_update(
        actor=actor,
        user_id=current.pk,
        version=data["version"],
        name=data.get("name", current.name),
        org=_org(actor, data["org_id"]) if data.get("org_id") else current.org,
        role=data.get("role", current.role),
        phone=data.get("phone", current.phone),
        email=data.get("email", current.email),
        is_active=data.get("is_active", current.is_active),
    )


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="令牌的前 10 个字符，用于辨认；令牌本身从不保存")
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokensRevoked(Schema):
    revoked: int = Field(description="本次吊销的令牌数")


@router.get("/{user_id}/tokens", response=list[TokenOut], summary="用户的接口令牌")
def list_user_tokens(request, user_id: int):
    """管理员查看本单位范围内用户的个人接口令牌（不含令牌本身）。"""
    user = get_scoped(User.objects, request.auth, user_id, "change")
    return user.api_tokens.order_by("-created_at")


@router.post("/{user_id}/tokens/{token_id}/revoke", response=TokenOut, summary="吊销用户的接口令牌")
def revoke_user_token(request, user_id: int, token_id: int):
    return services.user_token_revoke(actor=request.auth, user_id=user_id, token_id=token_id)


@router.post("/{user_id}/tokens/revoke", response=TokensRevoked, summary="吊销用户的全部接口令牌")
def revoke_user_tokens(request, user_id: int):
    return {"revoked": services.user_tokens_revoke_all(actor=request.auth, user_id=user_id)}
