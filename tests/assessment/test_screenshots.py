"""Screenshots as evidence on a score sheet: the checker uploads them (type and size checked
from the bytes, with clear errors), the sheet shows them, whoever may see the sheet downloads
them, nobody else; uploads and removals are audited."""

import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from govmedia.assessment.models import CheckState, ItemResult, Method, ScoreSheet, Screenshot
from govmedia.assessment.services import rubrics, screenshots
from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from tests.conftest import logged_in_client

from .helpers import assigned_check, fill_manual

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(color=(200, 30, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 40), color).save(buffer, format="PNG")
    return buffer.getvalue()


def manual_item(w, check, handle="tz_wx") -> ItemResult:
    return (
        ItemResult.objects.filter(
            sheet__check_run=check, sheet__account__handle=handle, indicator__method=Method.MANUAL
        )
        .select_related("sheet")
        .order_by("indicator__position")
        .first()
    )


@pytest.fixture
def scoring(accounts):
    w = accounts
    check = assigned_check(w, rubrics.rubric_default_ensure(year=2026))
    return w, check, manual_item(w, check)


def test_a_checker_uploads_a_screenshot_that_the_sheet_shows_and_serves(scoring):
    w, check, item = scoring
    data = png_bytes()
    client = logged_in_client(w.alice)
    response = client.post(
        f"/assessment/sheets/{item.sheet_id}/screenshots/",
        {
            "item": item.pk,
            "label": "菜单“办事”无响应",
            "image": SimpleUploadedFile("任意名称.png", data, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    shot = Screenshot.objects.get(item=item)
    assert (shot.content_type, shot.size, shot.width, shot.height) == (
        "image/png",
        len(data),
        64,
        40,
    )
    assert "任意名称" not in shot.file.name  # stored under our own name
    page = client.get(f"/assessment/sheets/{item.sheet_id}/").content.decode()
    url = f"/assessment/sheets/{item.sheet_id}/screenshots/{shot.pk}/"
    assert f'src="{url}"' in page and "菜单“办事”无响应" in page
    served = client.get(url)
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == data
    assert "attachment" in client.get(url + "?download=1")["Content-Disposition"]
    event = AuditEvent.objects.get(action="assessment.screenshot_attach")
    assert event.after["sha256"] == hashlib.sha256(data).hexdigest()

    client.post(f"/assessment/sheets/{item.sheet_id}/screenshots/{shot.pk}/remove/")
    assert not Screenshot.objects.exists()
    assert AuditEvent.objects.filter(action="assessment.screenshot_remove").count() == 1


def test_a_file_that_is_not_a_picture_or_too_large_is_refused_with_a_clear_error(scoring):
    w, check, item = scoring
    client = logged_in_client(w.alice)
    url = f"/assessment/sheets/{item.sheet_id}/screenshots/"
    script = SimpleUploadedFile("截图.png", b"<script>alert(1)</script>", content_type="image/png")
    page = client.post(url, {"item": item.pk, "image": script}, follow=True).content.decode()
    assert "不是 JPG、PNG 或 GIF 图片" in page
    big = png_bytes() + b"\0" * (screenshots.MAX_BYTES + 1)
    with pytest.raises(ServiceError, match="超过 2 MB") as caught:
        screenshots.screenshot_attach(
            actor=w.alice,
            sheet_id=item.sheet_id,
            item_id=item.pk,
            upload=SimpleUploadedFile("大图.png", big),
        )
    assert caught.value.field == "image"
    page = client.post(url, {"item": item.pk}, follow=True).content.decode()
    assert "请选择要上传的“截图”" in page
    assert not Screenshot.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.screenshot_attach").exists()


def test_only_a_checker_uploads_and_only_while_scoring(scoring):
    w, check, item = scoring
    # 天中's unit administrator is no checker, not even of its own accounts' sheets.
    for actor in (w.tian_unit_admin, w.chen_unit_admin):
        with pytest.raises(ServiceError):
            screenshots.screenshot_attach(
                actor=actor,
                sheet_id=item.sheet_id,
                item_id=item.pk,
                upload=SimpleUploadedFile("a.png", png_bytes()),
            )
    assert not Screenshot.objects.exists()
    fill_manual(w, check)
    sheet = ScoreSheet.objects.get(pk=item.sheet_id)
    from govmedia.assessment.services import checks

    checks.sheet_submit(actor=w.alice, sheet_id=sheet.pk, version=sheet.version)
    with pytest.raises(ServiceError, match="已提交"):
        screenshots.screenshot_attach(
            actor=w.alice,
            sheet_id=item.sheet_id,
            item_id=item.pk,
            upload=SimpleUploadedFile("a.png", png_bytes()),
        )


def test_a_screenshot_is_seen_by_its_unit_only_after_publication_and_never_by_another(scoring):
    w, check, item = scoring
    shot = screenshots.screenshot_attach(
        actor=w.alice,
        sheet_id=item.sheet_id,
        item_id=item.pk,
        upload=SimpleUploadedFile("a.png", png_bytes()),
    )
    url = f"/assessment/sheets/{item.sheet_id}/screenshots/{shot.pk}/"
    tian, chen = logged_in_client(w.tian_unit_admin), logged_in_client(w.chen_unit_admin)
    assert tian.get(url).status_code == 404
    check.__class__.objects.filter(pk=check.pk).update(state=CheckState.PUBLISHED)
    assert tian.get(url).status_code == 200
    assert chen.get(url).status_code == 404
    # Another sheet's id with this screenshot's id: refused too.
    chen_item = manual_item(w, check, handle="cj_wx")
    assert (
        tian.get(f"/assessment/sheets/{chen_item.sheet_id}/screenshots/{shot.pk}/").status_code
        == 404
    )
