"""发布申请 pages: the list (filters, pagination), a request with its timeline and the district's
review, the unit's new request (重新申请: one filled in from a returned request), and the district
office's accept / return / record-link and the unit's withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.audit.selectors import history
from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may

from .. import selectors, services
from ..filters import REQUEST_FILTERS
from ..forms import PublishRequestForm, RequestPublishedForm, RequestReturnForm
from ..lifecycle import REQUEST, may_withdraw_request
from ..models import PublishRequest, RequestState
from .shared import require_view, tabs, version_of

BASIS = "依据：通知第二部分（三）：需要政府网站发布的信息，应与政府网站协商一致后发布"


def _crumbs(*extra):
    return [("发布申请", reverse("coordination:requests")), *extra]


def _request_or_404(user, request_id, action="view") -> PublishRequest:
    require_view(user)
    return get_scoped(
        PublishRequest.objects.select_related(
            "org", "requested_by", "accepted_by", "returned_by", "revision", "post"
        ),
        user,
        request_id,
        action,
    )


@login_required
def request_list(request):
    user = request.user
    require_view(user)
    page = paginate(request, selectors.publish_requests(user, request.GET))
    return render(
        request,
        "coordination/request_list.html",
        {
            "page": page,
            "filters": REQUEST_FILTERS.echo(request.GET),
            "filtered": bool(REQUEST_FILTERS.values(request.GET)),
            "states": RequestState.choices,
            "can_request": may(user, "coordination.request"),
            "request_basis": BASIS,
            "breadcrumbs": _crumbs(),
            **tabs(user, "requests"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    user = request.user
    if not may(user, "coordination.request"):
        raise Http404
    earlier = (
        _request_or_404(user, request.GET["from"], "request") if "from" in request.GET else None
    )
    form = PublishRequestForm(request.POST or None, user=user, initial=_initial(request, earlier))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.publish_request_submit(
                actor=user,
                article_id=int(form.cleaned_data["article"]),
                account_ids=[a.pk for a in form.cleaned_data["accounts"]],
                proposed_at=form.cleaned_data["proposed_at"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已提交发布申请，等待区政府办公室受理")
            return redirect("coordination:request", request_id=created.pk)
    return render(
        request,
        "coordination/request_form.html",
        {
            "form": form,
            "earlier": earlier,
            "article_offered": earlier is None
            or str(earlier.article_id) in dict(form.fields["article"].choices),
            "request_basis": BASIS,
            "breadcrumbs": _crumbs(("提交发布申请", None)),
            **tabs(user, "requests"),
        },
    )


def _initial(request, earlier: PublishRequest | None) -> dict:
    """The form's first values: the article a link names, or, for 重新申请, the earlier
    request's article, accounts and note, and its proposed time if that is still ahead."""
    if earlier is None:
        return {"article": request.GET.get("article", "")}
    return {
        "article": str(earlier.article_id),
        "accounts": [a.pk for a in earlier.accounts.all()],
        "proposed_at": earlier.proposed_at if earlier.proposed_at > timezone.now() else None,
        "note": earlier.note,
    }


def _renewal(user, publish_request: PublishRequest) -> dict:
    """A returned or withdrawn request is final; the unit asks again with a new one. The page
    shows the request made of the article since, if any, or else offers 重新申请 to whoever
    may submit for the unit (the requesting unit's staff, by the rule of withdrawing)."""
    if publish_request.state not in (RequestState.RETURNED, RequestState.WITHDRAWN):
        return {}
    since = (
        PublishRequest.objects.restrict(user)
        .filter(article_id=publish_request.article_id, pk__gt=publish_request.pk)
        .order_by("-pk")
        .first()
    )
    try:
        may_withdraw_request(user, publish_request)
    except ServiceError:
        return {"renewed_as": since}
    return {"renewed_as": since, "can_renew": since is None and may(user, "publishing.write")}


@login_required
def request_detail(request, request_id: int):
    user = request.user
    publish_request = _request_or_404(user, request_id)
    actions = REQUEST.offered(publish_request, user)
    return render(
        request,
        "coordination/request_detail.html",
        {
            "r": publish_request,
            "accounts": publish_request.accounts.select_related("platform"),
            "actions": actions,
            "steps": selectors.request_review_steps(publish_request),
            "history": history(publish_request, oldest_first=True),
            **_renewal(user, publish_request),
            "return_form": RequestReturnForm(initial={"version": publish_request.version}),
            "published_form": RequestPublishedForm(initial={"version": publish_request.version}),
            "request_basis": BASIS,
            "breadcrumbs": _crumbs((publish_request.title, None)),
            **tabs(user, "requests"),
        },
    )


def _transition(service, done: str, *fields: str):
    """The POST handler of one of the request's buttons: `service` called on the request in
    scope with the form's version and the named fields, its error or `done` flashed back."""

    @login_required
    @require_POST
    def handler(request, request_id: int):
        publish_request = _request_or_404(request.user, request_id)
        try:
            service(
                actor=request.user,
                request_id=publish_request.pk,
                version=version_of(request),
                **{name: request.POST.get(name, "") for name in fields},
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("coordination:request", request_id=publish_request.pk)

    return handler


request_accept = _transition(services.publish_request_accept, "已受理，区级审核稿件已提交审核")
request_return = _transition(
    services.publish_request_return, "已退回发布申请，申请单位将收到退回理由", "reason"
)
request_withdraw = _transition(services.publish_request_withdraw, "已撤回发布申请")
request_published = _transition(services.publish_request_mark_published, "已登记发布链接", "url")
