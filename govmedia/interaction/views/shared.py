"""What the 留言互动 pages share."""

from django.http import Http404
from django.urls import reverse

from govmedia.core.scope import get_scoped, may

from ..forms import BASIS, BASIS_TEXT
from ..models import Message, Reply


def require_view(user) -> None:
    if not may(user, "interaction.view"):
        raise Http404


def crumbs(*extra):
    return [("留言互动", reverse("interaction:inbox")), *extra]


def common(user, tab: str) -> dict:
    return {
        "tab": tab,
        "basis": BASIS,
        "basis_text": BASIS_TEXT,
        "can_handle": may(user, "interaction.handle"),
    }


def message_or_404(user, message_id) -> Message:
    require_view(user)
    return get_scoped(
        Message.objects.select_related(
            "org", "account__platform", "handler", "parent", "class_confirmed_by"
        ),
        user,
        message_id,
    )


def reply_or_404(user, reply_id) -> Reply:
    require_view(user)
    return get_scoped(Reply.objects.select_related("message"), user, reply_id, "handle")


def version_of(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def client_ip(request) -> str:
    from govmedia.core import request_context

    return request_context.current().ip or request.META.get("REMOTE_ADDR", "")
