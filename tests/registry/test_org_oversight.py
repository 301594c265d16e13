"""Issue 12 item 3, a unit deciding its own oversight: a unit's 主管单位, and the type of a unit
that hosts 政务新媒体, are the district office's to change; a filing keeps the 主管单位 in force
when it was submitted."""

from govmedia.orgs.models import Organization, OrgType
from govmedia.registry import services
from govmedia.registry.models import FilingState
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account, submitted_filing


def patch(client, org, **changes):
    org.refresh_from_db()
    return client.patch(
        f"/api/v1/orgs/{org.pk}",
        data={"version": org.version} | changes,
        content_type="application/json",
    )


def test_a_unit_deciding_its_own_oversight(world, form_data):
    office = world.tian_office
    file_account(world, form_data, org=office)  # 天中党政办 hosts an account
    Organization.objects.filter(pk=office.pk).update(supervisor=world.tian)
    unit = logged_in_client(world.tian_unit_admin)

    # Clearing its 主管单位 (the next filing would skip 主管单位审核) or choosing another.
    for supervisor_id in (None, world.dept.pk):
        response = patch(unit, office, supervisor_id=supervisor_id)
        assert response.status_code == 403, response.content
        assert response.json()["field"] == "supervisor"
        assert "区政府办公室" in response.json()["message"]
    # Retyping a unit that hosts accounts (the 集约化 finding would disappear).
    response = patch(unit, office, org_type=OrgType.ENTERPRISE)
    assert response.status_code == 403 and response.json()["field"] == "org_type"
    office.refresh_from_db()
    assert office.supervisor == world.tian and office.org_type == OrgType.INTERNAL

    # What stays the unit's: its name, and the type of a unit without accounts.
    assert patch(unit, office, name="天中街道党政综合办公室").status_code == 200
    assert patch(unit, world.tian, supervisor_id=None).status_code == 200  # unchanged: allowed
    empty = Organization.objects.create(
        name="天中街道便民服务中心",
        org_type=OrgType.SUBORDINATE,
        parent=world.tian,
        path="/pending/",
        depth=2,
    )
    Organization.objects.filter(pk=empty.pk).update(path=f"{world.tian.path}{empty.pk}/")
    assert patch(unit, empty, org_type=OrgType.DIRECT).status_code == 200

    # The district office decides both.
    admin = logged_in_client(world.alice)
    assert patch(admin, office, org_type=OrgType.SUBORDINATE).status_code == 200
    assert patch(admin, office, supervisor_id=world.dept.pk).json()["supervisor_id"] == (
        world.dept.pk
    )


def test_the_organisation_form_shows_the_supervisor_without_letting_the_unit_choose(world):
    Organization.objects.filter(pk=world.tian_office.pk).update(supervisor=world.tian)
    unit = logged_in_client(world.tian_unit_admin)
    page = unit.get(f"/orgs/{world.tian_office.pk}/edit/")
    assert page.status_code == 200
    field = page.context["form"].fields["supervisor"]
    # Its own supervisor shown, and not the rest of the district's units.
    assert field.disabled and list(field.queryset) == [world.tian]
    assert "陈集镇" not in page.content.decode()
    assert not unit.get("/orgs/new/").context["form"].fields["supervisor"].queryset.exists()
    data = {
        "name": "天中街道党政办公室",
        "org_type": OrgType.INTERNAL,
        "parent": world.tian.pk,
        "supervisor": "",  # a crafted post clearing it changes nothing
        "version": world.tian_office.version,
    }
    unit.post(f"/orgs/{world.tian_office.pk}/edit/", data)
    world.tian_office.refresh_from_db()
    assert world.tian_office.supervisor == world.tian


def test_a_supervisor_outside_the_units_subtree_is_shown_and_kept(world):
    Organization.objects.filter(pk=world.tian_office.pk).update(supervisor=world.dept)
    world.tian_office.refresh_from_db()
    unit = logged_in_client(world.tian_unit_admin)
    page = unit.get(f"/orgs/{world.tian_office.pk}/edit/")
    assert list(page.context["form"].fields["supervisor"].queryset) == [world.dept]
    data = {
        "name": "天中街道党政办公室",
        "org_type": OrgType.INTERNAL,
        "parent": world.tian.pk,
        "address": "天中街道 1 号",
        "version": world.tian_office.version,
    }
    assert unit.post(f"/orgs/{world.tian_office.pk}/edit/", data).status_code == 302
    world.tian_office.refresh_from_db()
    assert (world.tian_office.address, world.tian_office.supervisor) == (
        "天中街道 1 号",
        world.dept,
    )


def test_a_filing_keeps_the_supervisor_in_force_when_it_was_submitted(world, form_data):
    Organization.objects.filter(pk=world.tian_office.pk).update(supervisor=world.tian)
    filing = submitted_filing(world, form_data, org=world.tian_office)
    assert filing.supervisor == world.tian
    admin = logged_in_client(world.alice)
    assert patch(admin, world.tian_office, supervisor_id=None).status_code == 200
    filing.refresh_from_db()
    assert filing.supervisor == world.tian and filing.state == FilingState.SUBMITTED
    # The district office cannot file it before the supervisor recorded at submission co-signs.
    response = admin.post(
        f"/api/v1/filings/{filing.pk}/approve",
        data={"version": filing.version},
        content_type="application/json",
    )
    assert response.status_code == 409 and "主管单位" in response.json()["message"]
    signed = services.filing_supervisor_approve(
        actor=world.tian_supervisor_reviewer, filing_id=filing.pk, version=filing.version
    )
    assert signed.state == FilingState.SUPERVISOR_APPROVED
