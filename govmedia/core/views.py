from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from . import navigation
from .models import ExportJob
from .spreadsheets import xlsx_download


@login_required
def planned(request, key: str):
    item = navigation.find(key)
    if item is None or item.url_name:
        raise Http404
    return render(request, "core/planned.html", {"item": item})


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy, and we say which
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request):
    # Resolved per request: in production the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("govmedia/favicon.svg"))


def _own_export(request, job_id: int) -> ExportJob:
    # A job is its user's alone: anyone else's id is a 404 that says nothing.
    return get_object_or_404(ExportJob.objects.defer("content"), pk=job_id, user_id=request.user.pk)


@login_required
@require_GET
def export_job(request, job_id: int):
    """A background export's progress (the page polls itself with htmx), then its link."""
    job = _own_export(request, job_id)
    return render(request, "core/export_job.html", {"job": job})


@login_required
@require_GET
def export_download(request, job_id: int):
    job = _own_export(request, job_id)
    if job.state != "done":
        raise Http404
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    return xlsx_download(bytes(content), job.filename)
