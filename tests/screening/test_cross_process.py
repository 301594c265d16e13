"""A lexicon edit takes effect in another, already running process without a restart.

The second process is `manage.py screen --json --lines` started once and fed one text per line,
on this test's own database (PostgreSQL, or the SQLite test database file): like a web worker,
it builds its screener once and must notice another process's committed change on its next call.
"""

import subprocess
import sys

import pytest

from govmedia.screening import services
from govmedia.screening.seeding import seed_lexicon

from .conftest import MANAGE_PY, SecondProcess, database_env

TEXT = "本周开展清风行动专项检查，严禁台湾总统等错误表述"

pytestmark = pytest.mark.django_db(transaction=True)


def rules(answer: dict) -> list[str]:
    return [finding["rule"] for finding in answer["findings"]]


def test_an_edit_takes_effect_in_a_running_second_process(world):
    seed_lexicon()
    with SecondProcess() as other:
        first = other.screen(TEXT)
        assert rules(first) == ["台湾总统"]
        # Unchanged lexicon: the same answer again (from the second process's cache).
        assert other.screen(TEXT) == first

        term = services.lexicon_term_create(
            actor=world.alice, term="清风行动", category="sensitive", severity="block"
        )
        added = other.screen(TEXT)
        assert rules(added) == ["清风行动", "台湾总统"]
        assert added["lexicon_version"] == first["lexicon_version"] + 1

        term = services.lexicon_term_update(
            actor=world.alice, term_id=term.pk, version=term.version, suggestion="清风专项行动"
        )
        assert other.screen(TEXT)["findings"][0]["suggestion"] == "清风专项行动"

        services.lexicon_term_disable(actor=world.alice, term_id=term.pk, version=term.version)
        disabled = other.screen(TEXT)
        assert rules(disabled) == ["台湾总统"]
        assert disabled["lexicon_version"] == first["lexicon_version"] + 3
        other.close()
        assert other.process.returncode == 0


def test_a_units_own_term_reaches_the_second_process_for_that_unit_only(world):
    seed_lexicon()
    with (
        SecondProcess("--org", str(world.tian.pk)) as tian,
        SecondProcess("--org", str(world.chen.pk)) as chen,
    ):
        assert rules(tian.screen(TEXT)) == rules(chen.screen(TEXT)) == ["台湾总统"]
        services.lexicon_term_create(
            actor=world.tian_unit_admin, term="清风行动", category="sensitive", severity="warn"
        )
        assert rules(tian.screen(TEXT)) == ["清风行动", "台湾总统"]
        assert rules(chen.screen(TEXT)) == ["台湾总统"]


def test_the_command_in_a_subprocess_reads_stdin_and_refuses_invalid_utf8(world):
    seed_lexicon()
    command = [sys.executable, str(MANAGE_PY), "screen", "--json"]
    env = database_env()
    done = subprocess.run(command, input=TEXT.encode(), capture_output=True, env=env, timeout=120)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode().count("\n") == 1
    assert '"rule": "台湾总统"' in done.stdout.decode()
    bad = subprocess.run(command, input=b"\xff\xfe\xfd", capture_output=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stdout == b""
    assert "不是有效的 UTF-8" in bad.stderr.decode()
