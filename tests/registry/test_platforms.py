import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from govmedia.registry.models import Platform
from govmedia.registry.services import platforms as platform_services
from tests.conftest import logged_in_client


def test_admin_adds_renames_and_retires_a_platform(world, platforms):
    client = logged_in_client(world.alice)
    response = client.post(
        "/registry/platforms/", {"name": "视频号直播", "code": "wechat-live", "sort_order": 200}
    )
    assert response.status_code == 302
    platform = Platform.objects.get(code="wechat-live")
    response = client.post(
        f"/registry/platforms/{platform.pk}/edit/",
        {"name": "微信直播", "code": "ignored", "sort_order": 210, "is_active": ""},
    )
    platform.refresh_from_db()
    assert (platform.name, platform.code, platform.is_active) == ("微信直播", "wechat-live", False)
    assert (
        AuditEvent.objects.filter(
            action__startswith="platform.", object_id=str(platform.pk)
        ).count()
        == 2
    )


def test_bad_and_duplicate_platforms_refused(world, platforms):
    for name, code, message in (
        ("微博", "weibo2", "已有名为"),
        ("新平台", "weibo", "已被使用"),
        ("新平台", "Bad Code", "小写字母"),
    ):
        with pytest.raises(ServiceError, match=message):
            platform_services.platform_create(actor=world.alice, name=name, code=code)
    assert (
        "已有名为"
        in logged_in_client(world.alice)
        .post("/registry/platforms/", {"name": "微博", "code": "x1", "sort_order": 1})
        .content.decode()
    )


def test_units_see_the_list_but_cannot_change_it(world, platforms):
    client = logged_in_client(world.tian_unit_admin)
    assert "微信公众号" in client.get("/registry/platforms/").content.decode()
    assert (
        client.post("/registry/platforms/", {"name": "x", "code": "x", "sort_order": 1}).status_code
        == 404
    )
    assert client.get(f"/registry/platforms/{platforms['微博'].pk}/edit/").status_code == 404
