import pytest

from govmedia.platforms.fakes.servicehost import FakeServiceHost


@pytest.fixture(autouse=True)
def _service_host_of_our_own(settings):
    """Each demo load checks its 办事入口 against a fake host of its own: with the fixed port of
    `make run`, two test processes loading the demo at once shared one host, and the first to
    finish stopped it under the other's check (a link then read as 无法连接)."""
    with FakeServiceHost() as host:
        settings.DEMO_SERVICE_HOST = host.url("")
        yield host
