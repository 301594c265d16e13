"""Background exports (issue 19 item 5): an export over EXPORT_INLINE_ROWS rows is written by a
task while its page shows progress; the file is the immediate export's file; a second request
while one runs shows that one and starts nothing; a job is its user's alone."""

import io
from urllib.parse import quote

import pytest
from django_q.models import OrmQ
from openpyxl import load_workbook

from govmedia.core.exports import _at_most_every, export_run
from govmedia.core.models import ExportJob
from govmedia.monitoring.claims import ensure_states
from tests.conftest import logged_in_client
from tests.monitoring.conftest import register

pytestmark = pytest.mark.django_db
EXPORT = "/registry/excel/accounts.xlsx?org=天中&verified=1"


@pytest.fixture
def accounts(world):
    for n in range(5):
        register(world.tian, "weibo", f"tz_{n}", name=f"天中发布{n}号")
    register(world.tian, "weibo", "tz_unverified", verified=False)
    register(world.chen, "weibo", "chen_0", name="陈集发布")


def cells(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_background_file_equals_the_immediate_export(
    world, accounts, settings, django_capture_on_commit_callbacks
):
    client = logged_in_client(world.alice)
    immediate = client.get(EXPORT)
    assert immediate["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.EXPORT_INLINE_ROWS = 2  # five rows now make a background job (run inline here)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(EXPORT)
    job = ExportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/exports/{job.pk}/"
    page = client.get(started["Location"]).content.decode()
    assert "已生成，共 5 行" in page and "下载" in page
    download = client.get(f"/exports/{job.pk}/download/")
    assert cells(download.content) == cells(immediate.content)
    assert len(cells(download.content)) == 1 + 5  # the header and 天中's verified accounts
    assert quote("政务新媒体名录") in download["Content-Disposition"]


def test_a_second_request_while_one_runs_starts_no_other(
    world, accounts, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_ROWS = 2
    settings.Q_CLUSTER = settings.Q_CLUSTER | {"sync": False}  # the queue holds the task
    client = logged_in_client(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(EXPORT)
        second = client.get(EXPORT)
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1 and OrmQ.objects.count() == 1
    job = ExportJob.objects.get()
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "排队中：已写入 0 / 5 行" in page and 'hx-trigger="every 2s"' in page
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404  # not ready yet
    # Another filter is another export.
    client.get("/registry/excel/accounts.xlsx?org=天中")
    assert ExportJob.objects.count() == 2

    assert "5 行" in export_run(job.pk)
    assert export_run(job.pk) == "该导出已由其他任务处理"  # claimed once
    job.refresh_from_db()
    assert (job.state, job.done_rows, job.percent) == ("done", 5, 100)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 200
    # Finished: the same request now starts a fresh export.
    assert client.get(EXPORT)["Location"] != first["Location"]


def test_a_job_is_its_users_alone(world, accounts, settings):
    settings.EXPORT_INLINE_ROWS = 2
    logged_in_client(world.alice).get(EXPORT)
    job = ExportJob.objects.get()
    other = logged_in_client(world.tian_unit_admin)
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/download/").status_code == 404


def test_the_dormant_export_runs_in_the_background_too(
    world, accounts, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_ROWS = 2
    ensure_states()  # as every pull round does: the dormant report lists accounts with a state
    client = logged_in_client(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/monitoring/export.xlsx")
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/" and job.state == "done"
    assert cells(bytes(job.content))[0][0] == "风险"


def test_a_jobs_progress_is_stored_at_most_once_a_second():
    """Each report is an UPDATE: a job writing 10,000 rows in a second stores none, a long one
    about one a second (its page asks every 2 s)."""
    now, stored = [100.0], []
    progress = _at_most_every(1.0, stored.append, clock=lambda: now[0])
    for moment, rows in [(100.5, 500), (101.0, 1000), (101.5, 1500), (101.9, 2000), (102.0, 2500)]:
        now[0] = moment
        progress(rows)
    assert stored == [1000, 2500]
