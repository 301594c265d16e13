"""Creating once: a request that carries an idempotency key creates its object at most once.

A client that does not know whether its POST arrived (a timeout, a retry, two identical
requests at the same moment, a double click on 保存草稿) sends it again with the same key and
gets the object the first request created, instead of a second one. The API takes the key from
the `Idempotency-Key` header; a page's form carries a one-time key in a hidden field.

The key row is inserted first, in the transaction that creates the object: a concurrent request
with the same key waits on the unique index (PostgreSQL) or the IMMEDIATE transaction (SQLite)
until the first commits, then finds the row and answers with its object. If the first fails,
its key row rolls back with it, and the key may be used again.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from .errors import Conflict, ServiceError
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
HEADER_DESCRIPTION = (
    "幂等键（可选，1–100 个可见 ASCII 字符，如 UUID）：同一用户以同一幂等键重复提交，"
    "只新建一次，重复的请求返回第一次新建的结果"
)
FORM_FIELD = "once"
_KEY = re.compile(r"[\x21-\x7e]{1,100}")


def new_form_key() -> str:
    """The one-time key of a form as the page renders it."""
    return uuid.uuid4().hex


def fingerprint(data: Any) -> str:
    """A digest of a request body, so a key reused for different content is refused."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ServiceError(
            f"{HEADER} 应为 1–100 个可见 ASCII 字符（如 UUID）", field=HEADER, code="invalid_key"
        )
    return key


def create_once(
    *,
    actor,
    scope: str,
    key: str | None,
    create: Callable[[], Any],
    content: str = "",
) -> tuple[int, bool]:
    """(the id of the object `create()` made, False), or, when the actor already sent this key
    for this scope, (the id of the object that request made, True) without creating anything.
    Without a key, `create()` simply runs. Conflict when the key was used with other `content`
    (a fingerprint of the request)."""
    if not key:
        return create().pk, False
    key = check_key(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    actor_id=actor.pk, scope=scope, key=key, fingerprint=content
                )
        except IntegrityError:
            # The first request with this key has committed (our insert waited for it).
            first = IdempotencyKey.objects.get(actor_id=actor.pk, scope=scope, key=key)
            if first.fingerprint != content:
                raise Conflict(
                    f"该{HEADER}已用于内容不同的另一请求：请为新的请求使用新的幂等键",
                    field=HEADER,
                ) from None
            return first.object_id, True
        obj = create()
        record.object_id = obj.pk
        record.save(update_fields=["object_id"])
    return obj.pk, False


def api_key_param():
    """The `Idempotency-Key` header as a django-ninja parameter of a create endpoint."""
    from ninja import Header

    return Header(None, alias=HEADER, description=HEADER_DESCRIPTION)


def add_form_key(form) -> None:
    """Give a create form its hidden one-time key (FORM_FIELD): the page's first rendering
    draws it, a double click sends it twice, and create_once makes one object of the two."""
    from django import forms

    form.fields[FORM_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=new_form_key()
    )
