from datetime import datetime
from typing import Any

from ninja import Router, Schema
from ninja.pagination import paginate

from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.scope import may

from .views import filtered_events

router = Router(tags=["审计日志"])


class EventOut(Schema):
    id: Id
    seq: int
    created_at: datetime
    actor_id: Id | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    org_id: Id | None
    before: Any
    after: Any
    ip: str | None
    request_id: str


@router.get(
    "/events", response=list[EventOut], summary="审计事件（可按操作人、单位、操作、对象、日期筛选）"
)
@paginate(LimitOffset)
def list_events(
    request,
    actor: str = "",
    org: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: str = "",
    date_to: str = "",
):
    if not may(request.auth, "audit.view"):
        raise Forbidden("您无权查看审计日志")
    params = {
        "actor": actor,
        "org": org,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "date_from": date_from,
        "date_to": date_to,
    }
    events, errors = filtered_events(request.auth, params)
    if errors:
        raise ServiceError("；".join(errors), field="date_from")
    return events
