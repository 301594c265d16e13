from datetime import date

import pytest

from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms


@pytest.fixture
def platforms(db):
    ensure_default_platforms(Platform)  # transactional tests flush the migration's rows
    return {p.name: p for p in Platform.objects.all()}


@pytest.fixture
def form_data(platforms):
    """A complete, valid 备案表 for a WeChat account of 天中街道."""
    return {
        "name": "天中发布",
        "handle": "tianzhongfabu",
        "platform": platforms["微信公众号"],
        "registrant": "菏泽市定陶区天中街道办事处",
        "registered_on": date(2026, 3, 2),
        "positioning": "发布天中街道政务信息，回应群众关切",
        "verified": True,
        "operator_kind": "own",
        "operator": "",
        "contact_name": "张三",
        "contact_phone": "0530-2212021",
        "notes": "",
        "principal_name": "李主任",
        "principal_office_phone": "0530-2210001",
        "principal_mobile": "13805300001",
        "leader_in_charge_name": "王副主任",
        "leader_in_charge_office_phone": "0530-2210002",
        "leader_in_charge_mobile": "13805300002",
        "person_responsible_name": "赵科员",
        "person_responsible_office_phone": "0530-2210003",
        "person_responsible_mobile": "13805300003",
    }
