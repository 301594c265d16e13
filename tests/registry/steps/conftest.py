"""A department's 下属单位 whose filings its department co-signs, with the department's people."""

from datetime import date

import pytest

from govmedia.orgs.models import OrgType
from govmedia.registry import services
from govmedia.registry.models import FilingKind
from tests.conftest import make_org, make_user


class Health:
    """区卫生健康局 supervises 区人民医院 (a 下属单位 that has its own administrator)."""


@pytest.fixture
def health(world):
    h = Health()
    h.dept = world.dept
    h.hospital = make_org("区人民医院", OrgType.SUBORDINATE, world.dept)
    h.hospital.supervisor = world.dept
    h.hospital.save()
    h.hospital_admin = make_user("hospital_admin", h.hospital, "unit_admin")
    h.dept_admin = make_user("dept_admin", world.dept, "unit_admin")
    h.dept_supervisor = make_user("dept_supervisor", world.dept, "supervisor_reviewer")
    h.dept_reviewer = make_user("dept_reviewer", world.dept, "reviewer")
    h.dept_editor = make_user("dept_editor", world.dept, "editor")
    return h


def hospital_filing(health, form_data, *, submit=True):
    data = form_data | {
        "name": "定陶人民医院",
        "handle": "dtrmyy",
        "registrant": "菏泽市定陶区人民医院",
    }
    filing = services.filing_create(
        actor=health.hospital_admin,
        kind=FilingKind.OPEN,
        org=health.hospital,
        event_date=date(2026, 11, 2),
        data=data,
    )
    if submit:
        filing = services.filing_submit(
            actor=health.hospital_admin, filing_id=filing.pk, version=filing.version
        )
    return filing
