"""One township never sees another's messages: pages, counts, export and API (the walkers in
tests/core/test_scope_isolation.py cover every route with an id)."""

import io

from django.utils import timezone
from openpyxl import load_workbook

from govmedia.interaction import services
from govmedia.interaction.selectors import inbox, inbox_counts
from tests.conftest import logged_in_client


def _letters(world):
    made = {}
    for prefix, org in (("tian", world.tian), ("chen", world.chen)):
        made[prefix] = services.message_create(
            actor=getattr(world, f"{prefix}_editor"),
            source="letter",
            org_id=org.pk,
            text=f"{org.name}来信：路灯不亮",
            received_at=timezone.now(),
        )
    return made


def test_one_township_never_sees_anothers_messages(world):
    made = _letters(world)
    tian = world.tian_editor
    assert list(inbox(tian, {"view": "all"})) == [made["tian"]]
    assert inbox_counts(tian)["open"] == 1
    client = logged_in_client(tian)
    for url in (
        "/interaction/",
        "/interaction/?view=all",
        "/interaction/?q=路灯",
        "/interaction/health/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "陈集" not in page.content.decode(), url
    assert client.get(f"/interaction/{made['chen'].pk}/").status_code == 404
    sheet = load_workbook(io.BytesIO(client.get("/interaction/export.xlsx?view=all").content))
    cells = " ".join(str(c.value) for row in sheet.active.iter_rows() for c in row if c.value)
    assert "天中" in cells and "陈集" not in cells
    listed = client.get("/api/v1/interaction/messages?view=all").json()
    assert [m["id"] for m in listed["items"]] == [made["tian"].pk]
    assert client.get(f"/api/v1/interaction/messages/{made['chen'].pk}").status_code == 404
    # The district office sees both.
    assert inbox(world.alice, {"view": "all"}).count() == 2


def test_pages_render_for_a_handler(world):
    made = _letters(world)
    client = logged_in_client(world.tian_unit_admin)
    page = client.get(f"/interaction/{made['tian'].pk}/").content.decode()
    assert "确认分类并分办" in page and "建议答复" in page
    assert client.get("/interaction/new/").status_code == 200
    assert client.get("/interaction/import/").status_code == 200
    assert client.get("/interaction/health/export.xlsx").status_code == 200
