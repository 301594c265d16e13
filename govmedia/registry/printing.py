"""A filing copied into the printable form's plain data (documents.FilingFormData)."""

from django.conf import settings
from django.utils import timezone

from .documents import FilingFormData, TeamMember
from .masking import shown_phone
from .models import Filing

OFFICE_NAME = "区政府办公室"
NO_NUMBER_YET = "（待编号）"


def filing_form_data(filing: Filing, *, full_phones: bool) -> FilingFormData:
    org = filing.org
    account = filing.account
    supervisor = filing.supervisor or org.supervisor

    def phone(field):
        return shown_phone(field, getattr(filing, field), full=full_phones) or ""

    def member(prefix):
        return TeamMember(
            name=getattr(filing, f"{prefix}_name"),
            office_phone=getattr(filing, f"{prefix}_office_phone"),
            mobile=phone(f"{prefix}_mobile"),
        )

    return FilingFormData(
        district_name=settings.DISTRICT_NAME,
        filing_no=filing.filing_no or (account.filing_no if account else "") or NO_NUMBER_YET,
        unit_name=org.name,
        filed_on=timezone.localdate(filing.filed_at) if filing.filed_at else None,
        account_name=filing.name,
        handle=filing.handle,
        platform=filing.platform.name,
        registrant=filing.registrant,
        registered_on=filing.registered_on,
        kind=filing.kind,
        positioning=filing.positioning,
        verified=filing.verified,
        operator=filing.operator or "本单位",
        contact=" ".join(p for p in (filing.contact_name, phone("contact_phone")) if p),
        notes=printed_notes(filing),
        principal=member("principal"),
        leader_in_charge=member("leader_in_charge"),
        person_responsible=member("person_responsible"),
        supervisor_name=supervisor.name if supervisor else None,
        office_name=OFFICE_NAME,
    )


def download_name(filing: Filing, extension: str) -> str:
    # Account names are free text: keep a name every file system accepts.
    name = "".join(ch for ch in (filing.name or str(filing.pk)) if ch not in '\\/:*?"<>|')[:40]
    return f"政务新媒体备案表-{filing.get_kind_display()}-{name}.{extension}"


# The explanation a 变更/关停/注销 filing gives (its change_summary) has no box of its own on
# the notice's form: it is printed first under 其他需要说明事项, labelled as on the page.
SUMMARY_LABELS = {"change": "变更事项说明", "suspend": "关停原因", "cancel": "注销原因"}


def printed_notes(filing: Filing) -> str:
    summary = filing.change_summary.strip()
    if not summary:
        return filing.notes
    label = SUMMARY_LABELS.get(filing.kind, "说明")
    return "\n".join(part for part in (f"{label}：{summary}", filing.notes) if part)
