"""立即采集 shows its progress: the account page asks every two seconds whether a pull of the
account has finished since the click, and reloads with its counts when it has (core.progress)."""

from django.db.models import Max
from django.urls import reverse

from govmedia.core import progress

from ..models import PullRun


def pull_click(account) -> progress.Click:
    return progress.click(PullRun.objects.filter(account=account).aggregate(m=Max("id"))["m"])


def pull_progress(request, account) -> dict:
    """The account page's context: a progress line while a requested pull is awaited, or the
    finished pull (?pulled=<run>) whose counts the page announces."""
    if click := progress.clicked(request):
        return {"progress": waiting(account, click)}
    run_id = request.GET.get("pulled", "")
    if run_id.isdigit() and len(run_id) <= progress.MAX_DIGITS:
        return {"pulled": PullRun.objects.filter(account=account, pk=int(run_id)).first()}
    return {}


def run_since(account, click: progress.Click) -> PullRun | None:
    return PullRun.objects.filter(account=account, pk__gt=click.after).order_by("id").first()


def waiting(account, click: progress.Click) -> dict:
    stopped = click.gave_up()
    page = reverse("monitoring:account", args=[account.pk])
    status = reverse("monitoring:pull_status", args=[account.pk])
    return {
        "poll_url": f"{status}?{click.query()}",
        "reload_url": f"{page}?{click.query()}",
        "text": "采集未在预期时间内完成，请稍后查看采集记录。"
        if stopped
        else f"正在采集“{account.name}”：后台任务每分钟领取一次，完成后本页自动刷新并显示采集条数。",
        "waited": click.waited(),
        "stopped": stopped,
    }
