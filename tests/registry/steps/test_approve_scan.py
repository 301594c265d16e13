"""准予备案 asks for the signed and stamped form; without it, a stated reason, recorded in the
audit event and shown on the filing (issue 14 item 4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from govmedia.registry import services
from govmedia.registry.models import Filing, FilingState
from tests.conftest import logged_in_client

PDF = b"%PDF-1.4\n% signed and stamped\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submitted(world, form_data) -> Filing:
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind="open",
        org=world.tian,
        event_date=form_data["registered_on"],
        data=form_data,
    )
    return services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )


def test_approval_without_a_scan_is_refused_without_a_reason(world, form_data):
    filing = submitted(world, form_data)
    for reason in ("", "   "):
        with pytest.raises(ServiceError) as refused:
            services.filing_approve(
                actor=world.alice,
                filing_id=filing.pk,
                version=filing.version,
                no_scan_reason=reason,
            )
        assert refused.value.field == "no_scan_reason" and "扫描件" in refused.value.message
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED and not filing.filing_no
    assert not AuditEvent.objects.filter(action="filing.approve").exists()


def test_approval_without_a_scan_is_recorded_with_its_reason(world, form_data):
    filing = submitted(world, form_data)
    filed = services.filing_approve(
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
        no_scan_reason="纸质备案表已报送，扫描仪故障",
    )
    assert (
        filed.state == FilingState.FILED and filed.no_scan_reason == "纸质备案表已报送，扫描仪故障"
    )
    event = AuditEvent.objects.get(action="filing.approve")
    assert event.after["no_scan_reason"] == "纸质备案表已报送，扫描仪故障"
    page = logged_in_client(world.tian_unit_admin).get(f"/registry/filings/{filed.pk}/")
    text = page.content.decode()
    assert "未附签章扫描件即准予备案" in text and "纸质备案表已报送，扫描仪故障" in text


def test_with_the_scan_on_file_no_reason_is_asked(world, form_data):
    filing = submitted(world, form_data)
    services.filing_attach_scan(
        actor=world.tian_unit_admin,
        filing_id=filing.pk,
        upload=SimpleUploadedFile("备案表.pdf", PDF, content_type="application/pdf"),
    )
    filed = services.filing_approve(actor=world.alice, filing_id=filing.pk, version=filing.version)
    assert filed.state == FilingState.FILED and filed.no_scan_reason == ""
    event = AuditEvent.objects.get(action="filing.approve")
    assert event.after["scanned_copy"].endswith(f"filing-{filing.pk}-scan.pdf")
    assert "no_scan_reason" not in event.after


def test_the_approve_form_takes_the_scan_or_asks_for_the_reason(world, form_data):
    filing = submitted(world, form_data)
    client = logged_in_client(world.alice)
    url = f"/registry/filings/{filing.pk}/act/"
    form = client.get(f"/registry/filings/{filing.pk}/").content.decode()
    assert 'aria-label="准予备案"' in form and 'name="no_scan_reason"' in form
    assert 'enctype="multipart/form-data"' in form
    refused = client.post(url, {"action": "approve", "version": filing.version})
    assert refused.status_code == 400
    assert "尚未上传经签字盖章的备案表扫描件" in refused.content.decode()
    renamed = SimpleUploadedFile("备案表.pdf", b"MZ\x90\x00 not a pdf")
    bad = client.post(url, {"action": "approve", "version": filing.version, "scan": renamed})
    assert bad.status_code == 400 and "仅改扩展名无效" in bad.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    scan = SimpleUploadedFile("签章.pdf", PDF, content_type="application/pdf")
    done = client.post(
        url, {"action": "approve", "version": filing.version, "scan": scan}, follow=True
    )
    assert "已准予备案" in done.content.decode()
    filing.refresh_from_db()
    assert filing.state == FilingState.FILED and filing.scanned_copy and not filing.no_scan_reason
