"""What the 检查考核 pages share: the basis line, tabs, permission checks, versions."""

from django.http import Http404

from govmedia.core.scope import may

BASIS = "依据：通知第五部分（三）"
BASIS_TEXT = (
    "政务新媒体工作纳入政务公开考核，定期开展抽查，对“信息不更新、办理不认真、落实不得力、"
    "群众不满意”的进行通报，对表现优秀的予以表扬。"
)


def require(user, action: str) -> None:
    if not may(user, action):
        raise Http404


def context(user, tab: str, **extra) -> dict:
    return {
        "tab": tab,
        "basis": BASIS,
        "basis_text": BASIS_TEXT,
        "can_manage": may(user, "assessment.manage"),
        **extra,
    }


def version_of(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1
