"""Steps the registry page tests share: accounts filed through the services, and form posts."""

from datetime import date

from govmedia.registry import services
from govmedia.registry.models import FORM_FIELDS, FilingKind


def file_account(world, form_data, *, org=None, actor=None, **overrides):
    """An account registered the real way: 开设 filing created, submitted and filed."""
    actor = actor or world.tian_unit_admin
    filing = services.filing_create(
        actor=actor,
        kind=FilingKind.OPEN,
        org=org or world.tian,
        event_date=date(2026, 3, 2),
        data=form_data | overrides,
    )
    filing = services.filing_submit(actor=actor, filing_id=filing.pk, version=filing.version)
    return services.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
    ).account


def submitted_filing(world, form_data, *, org=None, **overrides):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=org or world.tian,
        event_date=date(2026, 3, 2),
        data=form_data | overrides,
    )
    return services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )


def post_data(form_data, **extra) -> dict:
    """The filing form as a browser posts it."""
    data = {}
    for field in FORM_FIELDS:
        value = form_data.get(field, "")
        if field == "platform":
            value = value.pk if value else ""
        elif field == "verified":
            value = "1" if value else "0"
        elif isinstance(value, date):
            value = value.isoformat()
        data[field] = value
    return data | extra
