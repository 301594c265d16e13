"""一案一号: an account's filing number, taken once at its first approved filing, kept for life."""

from django.conf import settings

from .models import FilingNumberCounter


def next_filing_no(year: int) -> str:
    """The next number of `year`. Call inside the approving transaction: the counter row is
    locked until it commits, so two approvals never take the same number."""
    counter, _ = FilingNumberCounter.objects.get_or_create(year=year)
    counter = FilingNumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.FILING_NO_FORMAT.format(year=year, seq=counter.last)
