"""The demo's 检查考核: the default rubric, a finished quarterly spot check with its bulletin
(and a rectification for each failed account), a monthly one in progress. Idempotent."""

from django.core.management import call_command

from govmedia.assessment.models import Bulletin, Check, CheckRectification, CheckState, Rubric
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms


def test_demo_has_a_finished_check_with_a_bulletin_and_one_in_progress(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    call_command("demo_seed")
    call_command("demo_seed")
    assert Rubric.objects.filter(is_default=True).count() == 1
    checks = {c.kind: c for c in Check.objects.filter(is_demo=True)}
    assert len(checks) == 2
    finished, ongoing = checks["quarterly"], checks["monthly"]
    assert finished.state == CheckState.PUBLISHED and ongoing.state == CheckState.SCORING
    bulletin = Bulletin.objects.get(check_run=finished)
    assert bytes(bulletin.pdf)[:4] == b"%PDF" and "〔" in bulletin.doc_no
    failed = finished.sheets.filter(verdict="不合格").count()
    assert CheckRectification.objects.filter(sheet__check_run=finished).count() == failed
    assert finished.seed == 20260930 and len(finished.sample) == finished.sheets.count()
    assert ongoing.sheets.filter(items__outcome="pending").exists()
    # The manual finding keeps a screenshot as its evidence, as a checker would upload it.
    from govmedia.assessment.models import Screenshot

    shot = Screenshot.objects.get(sheet__check_run=finished)
    assert shot.content_type == "image/png" and shot.item.outcome == "hit"
