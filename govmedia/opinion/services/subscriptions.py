"""监测方案: a unit keeps its own; the expression is checked by the parser, whose message names
the position of the mistake."""

from django.db import transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.orgs.models import Organization

from ..expressions import Expression, ExpressionError
from ..models import Subscription

FIELDS = ["org", "name", "expression", "active", "on_posts", "on_comments", "on_messages"]


def clean_expression(value) -> str:
    source = clean_text(
        value, field="expression", label="监测表达式", required=True, max_length=2000
    )
    try:
        Expression.parse(source)
    except ExpressionError as exc:
        raise ServiceError(
            f"监测表达式有误：{exc.message}", field="expression", code="invalid_expression"
        ) from None
    return source


def _clean(data: dict) -> dict:
    cleaned = {
        "name": clean_text(
            data.get("name"),
            field="name",
            label="方案名称",
            required=True,
            max_length=100,
            multiline=False,
        ),
        "expression": clean_expression(data.get("expression")),
    }
    for flag in ("active", "on_posts", "on_comments", "on_messages"):
        cleaned[flag] = bool(data.get(flag, True))
    if not (cleaned["on_posts"] or cleaned["on_comments"] or cleaned["on_messages"]):
        raise ServiceError("请至少选择一种适用内容（账号发布内容、评论、留言）", field="on_posts")
    return cleaned


def subscription_create(*, actor, org_id, data: dict) -> Subscription:
    if not may(actor, "opinion.subscribe"):
        raise Forbidden("只有单位管理员可以设置监测方案")
    cleaned = _clean(data)
    with transaction.atomic():
        org = get_scoped(Organization.objects.all(), actor, org_id)
        subscription = Subscription.objects.create(org=org, created_by=actor, **cleaned)
        audit_record(
            actor=actor,
            action="opinion.subscription_create",
            obj=subscription,
            org=org,
            after=snapshot(subscription, FIELDS),
        )
    return subscription


def subscription_update(*, actor, subscription_id, version, data: dict) -> Subscription:
    cleaned = _clean(data)
    with transaction.atomic():
        subscription = get_scoped(
            Subscription.objects.select_for_update(of=("self",)),
            actor,
            subscription_id,
            "subscribe",
        )
        check_version(subscription, version, noun="监测方案")
        before = snapshot(subscription, FIELDS)
        for field, value in cleaned.items():
            setattr(subscription, field, value)
        subscription.version += 1
        subscription.save()
        audit_record(
            actor=actor,
            action="opinion.subscription_update",
            obj=subscription,
            org=subscription.org,
            before=before,
            after=snapshot(subscription, FIELDS),
        )
    return subscription


def subscription_delete(*, actor, subscription_id, version) -> None:
    with transaction.atomic():
        subscription = get_scoped(
            Subscription.objects.select_for_update(of=("self",)),
            actor,
            subscription_id,
            "subscribe",
        )
        check_version(subscription, version, noun="监测方案")
        audit_record(
            actor=actor,
            action="opinion.subscription_delete",
            obj=subscription,
            org=subscription.org,
            before=snapshot(subscription, FIELDS),
        )
        subscription.delete()
