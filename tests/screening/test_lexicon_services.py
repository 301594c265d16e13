"""Lexicon writes: audited, versioned, effective at once; a unit adds its own terms and never
changes the district's."""

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.screening import services
from govmedia.screening.models import LexiconSource, LexiconTerm
from govmedia.screening.screen import screen_text, screener_for
from govmedia.screening.seeding import seed_lexicon
from govmedia.screening.version import current_version
from tests.conftest import make_org, make_user

TEXT = "本周开展清风行动专项检查"


def rules(text, org):
    return [f.rule for f in screen_text(text=text, org=org).findings]


def district_term(world, term="清风行动", **extra):
    fields = {"category": "sensitive", "severity": "block", "basis": "测试依据"} | extra
    return services.lexicon_term_create(actor=world.alice, term=term, **fields)


def test_seed_is_district_wide_and_seeding_again_changes_nothing(lexicon):
    seeded = LexiconTerm.objects.filter(source=LexiconSource.SEED)
    assert seeded.count() > 300
    assert not seeded.filter(owner_org__isnull=False).exists()
    assert seeded.filter(whitelist=True, term="打击赌博").exists()
    version = current_version()
    assert seed_lexicon() == 0
    assert current_version() == version


def test_seeding_keeps_an_administrators_edit(world, lexicon):
    row = LexiconTerm.objects.get(owner_org__isnull=True, term="赌博", whitelist=False)
    services.lexicon_term_disable(actor=world.alice, term_id=row.pk, version=row.version)
    assert seed_lexicon() == 0
    row.refresh_from_db()
    assert not row.is_active


def test_a_district_term_applies_everywhere_at_once_and_is_audited(world, lexicon):
    version_before, _ = current_version()
    assert rules(TEXT, world.chen) == []
    term = district_term(world)
    assert term.owner_org is None and term.created_by == world.alice
    assert current_version()[0] == version_before + 1
    for org in (world.district, world.tian, world.chen_office, None):
        assert rules(TEXT, org) == ["清风行动"]
    event = AuditEvent.objects.get(action="lexicon.create", object_id=str(term.pk))
    assert event.after["term"] == "清风行动" and event.org is None


def test_update_disable_enable_each_bump_the_version_and_take_effect(world, lexicon):
    term = district_term(world)
    term = services.lexicon_term_update(
        actor=world.alice,
        term_id=term.pk,
        version=term.version,
        severity="warn",
        suggestion="清风专项行动",
    )
    finding = screen_text(text=TEXT, org=world.tian).findings[0]
    assert (finding.severity, finding.suggestion) == ("warn", "清风专项行动")
    term = services.lexicon_term_disable(actor=world.alice, term_id=term.pk, version=term.version)
    assert rules(TEXT, world.tian) == []
    services.lexicon_term_enable(actor=world.alice, term_id=term.pk, version=term.version)
    assert rules(TEXT, world.tian) == ["清风行动"]
    actions = list(
        AuditEvent.objects.filter(object_id=str(term.pk), object_type="screening.lexiconterm")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["lexicon.create", "lexicon.update", "lexicon.disable", "lexicon.enable"]


def test_a_stale_version_is_refused_and_changes_nothing(world, lexicon):
    term = district_term(world)
    services.lexicon_term_update(
        actor=world.alice, term_id=term.pk, version=term.version, note="甲"
    )
    with pytest.raises(Conflict):
        services.lexicon_term_update(
            actor=world.alice, term_id=term.pk, version=term.version, note="乙"
        )
    with pytest.raises(Conflict):
        services.lexicon_term_disable(actor=world.alice, term_id=term.pk, version=term.version)
    term.refresh_from_db()
    assert term.note == "甲" and term.is_active


def test_a_unit_adds_its_own_terms_for_itself_and_its_sub_units_only(world, lexicon):
    own = services.lexicon_term_create(
        actor=world.tian_unit_admin, term="清风行动", category="sensitive", severity="warn"
    )
    assert own.owner_org == world.tian
    assert rules(TEXT, world.tian) == ["清风行动"]
    assert rules(TEXT, world.tian_office) == ["清风行动"]
    assert rules(TEXT, world.tian_unit_admin) == ["清风行动"]
    assert rules(TEXT, world.chen) == []
    assert rules(TEXT, world.district) == []
    assert rules(TEXT, None) == []
    # The same term in the district lexicon as well is still one finding.
    district_term(world)
    assert rules(TEXT, world.tian) == ["清风行动"]


def test_a_township_cannot_change_the_district_lexicon(world, lexicon):
    term = district_term(world)
    before = current_version()
    events = AuditEvent.objects.count()
    admin = world.tian_unit_admin
    with pytest.raises(NotFound):
        services.lexicon_term_update(actor=admin, term_id=term.pk, version=term.version, note="改")
    with pytest.raises(NotFound):
        services.lexicon_term_disable(actor=admin, term_id=term.pk, version=term.version)
    with pytest.raises(Forbidden):
        services.lexicon_term_disable(actor=world.tian_editor, term_id=term.pk, version=1)
    with pytest.raises(Forbidden):
        services.lexicon_term_create(
            actor=world.oversight, term="某词", category="sensitive", severity="warn"
        )
    seed_row = LexiconTerm.objects.filter(source=LexiconSource.SEED).first()
    with pytest.raises(NotFound):
        services.lexicon_term_update(
            actor=admin, term_id=seed_row.pk, version=seed_row.version, severity="warn"
        )
    term.refresh_from_db()
    assert term.note == "" and term.is_active and term.version == 1
    assert current_version() == before and AuditEvent.objects.count() == events


def test_a_township_cannot_change_another_townships_terms(world, lexicon):
    chen_term = services.lexicon_term_create(
        actor=world.chen_unit_admin, term="陈集专用词", category="typo", severity="warn"
    )
    with pytest.raises(NotFound):
        services.lexicon_term_disable(
            actor=world.tian_unit_admin, term_id=chen_term.pk, version=chen_term.version
        )


def test_a_unit_cannot_whitelist_away_the_district_lexicon(world, lexicon):
    with pytest.raises(ServiceError) as raised:
        services.lexicon_term_create(
            actor=world.tian_unit_admin,
            term="台湾总统",
            category="political_expression",
            severity="",
            whitelist=True,
        )
    assert raised.value.field == "whitelist"
    assert rules("台湾总统", world.tian) == ["台湾总统"]


def test_a_platform_whitelist_silences_its_category_only(world, lexicon):
    district_term(world, term="清风")
    assert rules(TEXT, world.tian) == ["清风"]
    services.lexicon_term_create(
        actor=world.alice, term="清风行动", category="sensitive", severity="", whitelist=True
    )
    assert rules(TEXT, world.tian) == []


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"term": "  "}, "term", "请填写词条"),
        ({"term": "★★ ，。"}, "term", "无法匹配"),
        ({"term": "字" * 101}, "term", "100"),
        ({"category": ""}, "category", "请选择类别"),
        ({"category": "politics"}, "category", "类别无效"),
        ({"severity": "fatal"}, "severity", "处理级别"),
        ({"context": "everywhere"}, "context", "语境要求无效"),
        ({"basis": "据" * 301}, "basis", "300"),
    ],
)
def test_bad_fields_are_refused_with_the_field_named(world, lexicon, fields, field, message):
    values = {"term": "新词条", "category": "sensitive", "severity": "warn"} | fields
    with pytest.raises(ServiceError) as raised:
        services.lexicon_term_create(actor=world.alice, **values)
    assert raised.value.field == field and message in raised.value.message
    assert not LexiconTerm.objects.filter(term="新词条").exists()


def test_a_duplicate_term_is_refused(world, lexicon):
    with pytest.raises(ServiceError) as raised:
        services.lexicon_term_create(
            actor=world.alice, term="赌博", category="sensitive", severity="warn"
        )
    assert raised.value.code == "duplicate" and "全区通用" in raised.value.message
    # The same term in another category, or owned by a unit, is a different row.
    services.lexicon_term_create(actor=world.alice, term="赌博", category="typo", severity="warn")
    services.lexicon_term_create(
        actor=world.tian_unit_admin, term="赌博", category="sensitive", severity="block"
    )


def test_screeners_are_cached_until_the_lexicon_changes(world, lexicon):
    first = screener_for(world.tian)
    assert screener_for(world.tian_editor) is first
    # Units without rows of their own share one screener.
    assert screener_for(world.chen) is first and screener_for(None) is first
    services.lexicon_term_create(
        actor=world.tian_unit_admin, term="清风行动", category="sensitive", severity="warn"
    )
    tian = screener_for(world.tian)
    assert tian is not first and tian.version == first.version + 1
    assert screener_for(world.chen) is not tian


def test_a_unit_admin_of_a_sub_unit_manages_only_that_sub_unit(world, lexicon):
    office_admin = make_user("tian_office_admin", world.tian_office, "unit_admin")
    own = services.lexicon_term_create(
        actor=office_admin, term="办公室专用", category="typo", severity="warn"
    )
    tian_own = services.lexicon_term_create(
        actor=world.tian_unit_admin, term="街道专用", category="typo", severity="warn"
    )
    with pytest.raises(NotFound):
        services.lexicon_term_disable(actor=office_admin, term_id=tian_own.pk, version=1)
    # The township administrator manages the rows of the units under it.
    services.lexicon_term_disable(actor=world.tian_unit_admin, term_id=own.pk, version=1)
    assert rules("办公室专用街道专用", world.tian_office) == ["街道专用"]


def test_a_new_sub_unit_takes_its_ancestors_terms_and_not_its_cousins(world, lexicon):
    services.lexicon_term_create(
        actor=world.chen_unit_admin, term="陈集专用词", category="typo", severity="warn"
    )
    assert rules("陈集专用词", make_org("天中工作专班", "internal", world.tian)) == []
    assert rules("陈集专用词", make_org("陈集工作专班", "internal", world.chen)) == ["陈集专用词"]
