"""Who may do what: the roles table is the one place that says it."""

import pytest

from govmedia.core.roles import ACTIONS, OVERSIGHT_MAY_ACT, Role, role_allows
from govmedia.core.scope import may


def _is_read(action: str) -> bool:
    return action.endswith(".view")


def test_oversight_reads_everything_and_acts_only_as_the_table_says():
    granted = {action for action, roles in ACTIONS.items() if Role.OVERSIGHT in roles}
    assert {a for a in granted if not _is_read(a)} == OVERSIGHT_MAY_ACT
    # It reads every domain the platform has views of, except secrets.
    reads = {a for a in ACTIONS if _is_read(a)}
    assert reads - granted == {"credentials.view"}


def test_no_secret_and_no_full_phone_for_oversight():
    for action in ("credentials.view", "credentials.change", "credentials.reveal"):
        assert not role_allows(Role.OVERSIGHT, action)
    assert not role_allows(Role.OVERSIGHT, "registry.phones")


def test_district_office_actions_are_the_platform_admins_alone():
    for action in ("filings.approve", "orgs.restructure", "calendar.change", "counterfeit.change"):
        assert ACTIONS[action] == frozenset({Role.PLATFORM_ADMIN}), action


def test_every_action_names_a_domain_and_a_verb():
    for action, roles in ACTIONS.items():
        domain, _, verb = action.partition(".")
        assert domain and verb and roles <= frozenset(Role), action


def test_an_unknown_action_is_a_programming_error_not_a_refusal():
    with pytest.raises(KeyError, match="add it to ACTIONS"):
        role_allows(Role.EDITOR, "nothing.here")


@pytest.mark.django_db
def test_may_uses_the_table(world):
    assert may(world.oversight, "counterfeit.report")
    assert not may(world.oversight, "filings.change")
    assert not may(world.oversight, "rectification.resolve")
    assert may(world.tian_unit_admin, "filings.change")
