"""audit_record: the one way an AuditEvent is written.

Called by every service inside its own transaction, so the event commits or rolls back with the
change it describes. Never from signals: they miss jobs, scripts and bulk updates.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from govmedia.core import request_context

from . import chain
from .models import AuditChainHead, AuditEvent


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict | None:
    """A JSON-safe dict of an object's fields, as stored and hashed (dates become strings)."""
    if obj is None:
        return None
    return to_json(model_to_dict(obj, fields=fields))


def to_json(value):
    # Round-trip through JSON so what is hashed is exactly what the database gives back.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # The migration creates the head; a flushed database (tests) has none. A missing head with
    # events present is tampering, which must not be papered over by starting a new chain.
    if AuditEvent.objects.exists():
        raise RuntimeError("审计日志链头缺失：请运行 audit-verify 检查")
    AuditChainHead.objects.get_or_create(pk=1)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    org=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    ctx = request_context.current()
    head = _lock_head()
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor=actor_obj,
        actor_label=(
            f"{actor_obj.name}（{actor_obj.username}）" if actor_obj else str(actor or "系统")
        ),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        object_repr=(object_repr if object_repr is not None else str(obj or ""))[:200],
        org=org,
        before=to_json(before),
        after=to_json(after),
        # The field normalises IPv6 on save; hash the stored form, not the raw header.
        ip=AuditEvent._meta.get_field("ip").get_prep_value(ctx.ip),
        request_id=ctx.request_id,
        prev_hash=head.last_hash,
    )
    event.hash = chain.compute_hash(
        settings.AUDIT_HMAC_KEY, event.prev_hash, chain.event_content(event)
    )
    event.save(force_insert=True)
    head.last_seq, head.last_hash = event.seq, event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event
