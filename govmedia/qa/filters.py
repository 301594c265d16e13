"""The one filter of the library's list, shared by its page, its exports and the API."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from govmedia.core.numbers import optional_id

from .models import EntryState

STATE_CHOICES = [(value, label) for value, label in EntryState.choices] + [
    ("expiring", "即将失效"),
    ("expired", "已过期"),
    ("reviewing", "有待审核修订"),
]


def filter_entries(queryset, params):
    """`q` words in the question or answer; `state` (a state, expiring, expired,
    reviewing); `org` the owner unit (0: district-wide)."""
    q = (params.get("q") or "").strip()[:100]
    if q:
        for word in q.split()[:5]:
            queryset = queryset.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    state = params.get("state") or ""
    today = timezone.localdate()
    if state in EntryState.values:
        queryset = queryset.filter(state=state)
    elif state == "expiring":
        queryset = queryset.published().filter(
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=settings.QA_EXPIRY_REMIND_DAYS),
        )
    elif state == "expired":
        queryset = queryset.filter(valid_to__lt=today)
    elif state == "reviewing":
        queryset = queryset.filter(pending_revision__isnull=False)
    org = params.get("org") or ""
    if org == "0":
        queryset = queryset.filter(owner_org__isnull=True)
    elif (org_id := optional_id(org)) is not None:
        queryset = queryset.filter(owner_org_id=org_id)
    return queryset
