"""The demo library (≥ 50 entries marked 示例, one revision waiting, one expiring, one expired)
and the demo service links (one broken, with its finding); both idempotent."""

from django.core.management import call_command

from govmedia.qa.models import QAEntry
from govmedia.qa.selectors import forget_index, suggest
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from govmedia.servicelinks.models import LinkFinding, ServiceLink


def test_demo_library_and_service_links(db, capsys):
    ensure_default_platforms(Platform)
    forget_index()
    call_command("demo_seed")
    output = capsys.readouterr().out
    assert "已载入示例答问条目 52 个" in output
    entries = QAEntry.objects.filter(is_demo=True)
    assert entries.count() >= 50 and entries.filter(state="published").count() == entries.count()
    assert all("（示例）" in answer for answer in entries.values_list("answer", flat=True))
    assert entries.filter(pending_revision__isnull=False).count() == 1
    assert entries.filter(owner_org__isnull=False).count() >= 40
    assert suggest("孩子出生了怎么报户口")[0].question == "新生儿怎么办理户口登记？"
    assert ServiceLink.objects.filter(is_demo=True).count() == 8
    broken = ServiceLink.objects.exclude(last_outcome="ok")
    assert [link.name for link in broken] == ["无犯罪记录证明申请"]
    assert LinkFinding.objects.get().link == broken.get()
    call_command("demo_seed")
    assert QAEntry.objects.count() == entries.count() and ServiceLink.objects.count() == 8
    assert LinkFinding.objects.count() == 1
    forget_index()
