import pytest

from govmedia.platforms.fakes.servicehost import FakeServiceHost
from govmedia.registry.models import MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms

# The checker's timeout wherever a timeout is not what the test is about: on a loaded machine
# the fake host's 404 took over 2 s once, and a timeout needs two failures to open a finding.
PATIENT = 30


@pytest.fixture
def host():
    with FakeServiceHost() as fake:
        yield fake


def make_account(org, name: str, handle: str) -> MediaAccount:
    ensure_default_platforms(Platform)
    return MediaAccount.objects.create(
        host_org=org,
        platform=Platform.objects.get(code="wechat-mp"),
        name=name,
        handle=handle,
        registrant=org.name,
        positioning=f"发布{org.name}政务信息",
    )


@pytest.fixture
def accounts(world):
    return make_account(world.tian, "天中发布", "tianzhong"), make_account(
        world.chen, "陈集发布", "chenji"
    )
