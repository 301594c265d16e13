"""Personal mobile numbers on the 备案表 are shown whole only to those responsible for them.

The 手机号 of the 管理队伍, and the contact phone when it is a mobile, are personal data: the
owning unit (anyone whose org subtree holds the host org) and the district office's platform
administrators see them; oversight users and supervisors from outside see 138****0001.
"""

from govmedia.core.phones import is_mobile, mask_mobile
from govmedia.core.scope import may, sees_whole_district

from .models import MOBILE_FIELDS

MASKED_FIELDS = frozenset({*MOBILE_FIELDS, "contact_phone"})


def sees_full_phones(user, org) -> bool:
    if not may(user, "registry.phones") or org is None:
        return False
    if sees_whole_district(user):
        return True
    return user.org_id is not None and org.path.startswith(user.org.path)


def shown_phone(field: str, value, *, full: bool):
    """The value as this viewer may see it; office phones are never masked."""
    if full or field not in MASKED_FIELDS or not value:
        return value
    if field == "contact_phone" and not is_mobile(value):
        return value
    return mask_mobile(value)
