"""Issue 14 item 11: the org tree lists 镇、街道 before 部门, then by each unit's 排序 and name;
an org's detail page lists its accounts."""

from govmedia.orgs import services
from govmedia.orgs.models import OrgType
from govmedia.orgs.selectors import tree_rows
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import logged_in_client, make_org
from tests.counterfeit.conftest import register


def test_tree_lists_townships_then_departments_by_sort_order(world):
    services.org_create(
        actor=world.alice, name="区财政局", org_type=OrgType.DEPARTMENT, parent=world.district
    )
    services.org_create(
        actor=world.alice,
        name="区政府办公室",
        org_type=OrgType.DEPARTMENT,
        parent=world.district,
        sort_order=1,
    )
    services.org_update(
        actor=world.alice, org_id=world.dept.pk, version=world.dept.version, sort_order=2
    )
    rows, _ = tree_rows(world.alice)
    names = [org.name for org in rows]
    assert names == [
        world.district.name,
        "天中街道",  # 镇、街道 first, by name (both 排序 0)
        "天中街道党政办公室",
        "陈集镇",
        "陈集镇综合执法办公室",
        "区财政局",  # then 部门 by 排序: 0, 1, 2
        "区政府办公室",
        "区卫生健康局",
    ]
    page = logged_in_client(world.alice).get("/orgs/").content.decode()
    assert page.index("陈集镇") < page.index("区财政局") < page.index("区政府办公室")


def test_sort_order_out_of_range_is_refused_on_the_form(world):
    form = logged_in_client(world.alice).post(
        f"/orgs/{world.dept.pk}/edit/",
        {"name": world.dept.name, "org_type": OrgType.DEPARTMENT, "sort_order": "-3"},
    )
    assert "处需要修改" in form.content.decode()


def test_org_detail_lists_its_accounts(world):
    ensure_default_platforms(Platform)
    wechat = Platform.objects.get(code="wechat-mp")
    register(world.tian, wechat, "天中发布", "dt_tianzhong001")
    register(world.tian_office, wechat, "天中党政", "dt_tianzhong002")
    page = logged_in_client(world.tian_editor).get(f"/orgs/{world.tian.pk}/").content.decode()
    assert "<h2>政务新媒体</h2>" in page and "天中发布" in page
    assert "下级单位另有 1 个" in page and "天中党政" not in page
    empty = make_org("天中街道便民服务中心", OrgType.SUBORDINATE, world.tian)
    page = logged_in_client(world.tian_editor).get(f"/orgs/{empty.pk}/").content.decode()
    assert "本单位未开设政务新媒体" in page
