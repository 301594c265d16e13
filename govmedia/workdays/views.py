from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.dates import parse_date
from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import may

from . import selectors, services
from .calendar import deadline_from_text
from .forms import CalendarDayForm, DeadlineForm, PublishYearForm
from .models import CalendarDay


def _require_change(user) -> None:
    # Others see the calendar read-only; its edit pages do not exist for them.
    if not may(user, "calendar.change"):
        raise Http404


def _year_url(year: int) -> str:
    return f"{reverse('workdays:year')}?year={year}"


def _crumbs(*extra):
    return [("工作日历", reverse("workdays:year")), *extra]


def _requested_year(request, today) -> tuple[int, str]:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return today.year, ""
    if not raw.isascii() or not raw.isdigit():
        return today.year, f"年份应为四位数字，收到「{raw}」，已显示今年"
    year = int(raw)
    if selectors.clamp_year(year) != year:
        return selectors.clamp_year(year), f"年份 {year} 超出支持范围（2004 至 2099）"
    return year, ""


@login_required
def year_view(request):
    today = timezone.localdate()
    year, year_error = _requested_year(request, today)
    calc_form, result = DeadlineForm(initial={"start": today.isoformat(), "days": 5}), None
    if "start" in request.GET or "days" in request.GET:
        calc_form = DeadlineForm(request.GET)
        if calc_form.is_valid():
            try:
                result = deadline_from_text(
                    calc_form.cleaned_data["start"], calc_form.cleaned_data["days"]
                )
            except ServiceError as exc:
                add_service_error(calc_form, exc)
    status = selectors.year_status(year)
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "year_error": year_error,
            "prev_year": year - 1 if selectors.clamp_year(year - 1) == year - 1 else None,
            "next_year": year + 1 if selectors.clamp_year(year + 1) == year + 1 else None,
            "status": status,
            "months": selectors.month_grids(year, today),
            "weekday_names": selectors.WEEKDAY_NAMES,
            "statutory": selectors.statutory_list(year) if status.provisional else [],
            "overrides": paginate(request, selectors.year_overrides(year)),
            "can_change": may(request.user, "calendar.change"),
            "calc_form": calc_form,
            "result": result,
            "result_weekday": selectors.weekday_label(result.date) if result else "",
            "breadcrumbs": _crumbs((f"{year} 年", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_create(request):
    """A blank form; with ?date=YYYY-MM-DD, that date's own page."""
    _require_change(request.user)
    if request.method == "GET" and (raw := request.GET.get("date", "").strip()):
        try:
            return redirect("workdays:day_edit", day=parse_date(raw).isoformat())
        except ValueError:
            pass
    form = CalendarDayForm(request.POST or None, initial={"is_workday": "0"})
    return _day_form(request, form, None)


def _day_or_404(text: str):
    try:
        return parse_date(text)
    except ValueError:
        raise Http404("日期格式应为 YYYY-MM-DD") from None


@login_required
@require_http_methods(["GET", "POST"])
def day_edit(request, day: str):
    """The override of one date: edit it if there is one, else add it with the date filled in."""
    _require_change(request.user)
    day = _day_or_404(day)
    row = CalendarDay.objects.filter(date=day).first()
    if row is not None:
        initial = {
            "day": row.date,
            "is_workday": "1" if row.is_workday else "0",
            "name": row.name,
            "source_notice": row.source_notice,
            "note": row.note,
        }
    else:
        # A weekday is usually made a holiday, a weekend day a make-up workday.
        weekend = day.weekday() >= 5
        initial = {"day": day, "is_workday": "1" if weekend else "0"}
        if weekend:
            initial["name"] = "调休上班"
    form = CalendarDayForm(request.POST or None, initial=initial)
    form.fields["day"].disabled = True  # this page is this date's; another date is another page
    return _day_form(request, form, row)


def _day_form(request, form, row: CalendarDay | None):
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.calendar_day_set(
                actor=request.user,
                day=data["day"],
                is_workday=data["is_workday"],
                name=data["name"],
                source_notice=data["source_notice"],
                note=data["note"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存 {saved.date.isoformat()} 的调整：{saved}")
            return redirect(_year_url(saved.date.year))
    day = form.initial.get("day")
    title = f"修改日历调整：{day.isoformat()}" if row else "新增日历调整"
    year = (day or timezone.localdate()).year
    return render(
        request,
        "workdays/day_form.html",
        {
            "form": form,
            "row": row,
            "title": title,
            "back_url": _year_url(year),
            "breadcrumbs": _crumbs((f"{year} 年", _year_url(year)), (title, None)),
        },
    )


@login_required
@require_POST
def day_delete(request, day: str):
    _require_change(request.user)
    row = get_object_or_404(CalendarDay, date=_day_or_404(day))
    try:
        services.calendar_day_delete(actor=request.user, day_id=row.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除 {row.date.isoformat()} 的调整（{row.name}）")
    return redirect(_year_url(row.date.year))


@login_required
@require_http_methods(["GET", "POST"])
def year_publish(request, year: int):
    _require_change(request.user)
    form = PublishYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_publish(
                actor=request.user, year=year, source_notice=form.cleaned_data["source_notice"]
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已声明 {year} 年官方放假安排已发布，相关期限不再标注“临时”")
            return redirect(_year_url(year))
    title = f"声明 {year} 年放假安排已发布"
    return render(
        request,
        "workdays/publish.html",
        {
            "form": form,
            "year": year,
            "title": title,
            "overrides": selectors.year_overrides(year),
            "back_url": _year_url(year),
            "breadcrumbs": _crumbs((f"{year} 年", _year_url(year)), ("声明已发布", None)),
        },
    )


@login_required
@require_POST
def year_unpublish(request, year: int):
    _require_change(request.user)
    try:
        services.year_unpublish(actor=request.user, year=year)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销 {year} 年的发布声明，该年期限恢复为“临时推算”")
    return redirect(_year_url(year))
