"""`python manage.py counterfeit_score`: candidate names from arguments or standard input, scored
against the registry or against names given with --registered."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args, stdin=None) -> str:
    out = StringIO()
    call_command("counterfeit_score", *args, stdout=out, stdin=stdin)
    return out.getvalue()


def rows(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_names_given_as_arguments_against_registered_names(settings):
    settings.COUNTERFEIT_THRESHOLD = 50
    output = run(
        "--registered",
        "定陶发布",
        "--registered",
        "定陶人社",
        "--json",
        "dingtaofabu",
        "dtfb",
        "定陶区人力资源和社会保障局",
        "定陶房产",
    )
    assert rows(output) == [
        {"candidate": "dingtaofabu", "score": 75, "queued": True, "nearest": "定陶发布"},
        {"candidate": "dtfb", "score": 52, "queued": True, "nearest": "定陶发布"},
        {
            "candidate": "定陶区人力资源和社会保障局",
            "score": 87,
            "queued": True,
            "nearest": "定陶人社",
        },
        {"candidate": "定陶房产", "score": 0, "queued": False, "nearest": None},
    ]


def test_one_name_per_line_on_standard_input_against_the_registry(registry, settings):
    settings.COUNTERFEIT_THRESHOLD = 50
    stdin = StringIO("田中发布\n\n  老王烧烤店  \n")
    found = rows(run("--json", "--unverified", stdin=stdin))
    assert [row["candidate"] for row in found] == ["田中发布", "老王烧烤店"]
    assert found[0]["queued"] and found[0]["nearest"] == "天中发布"
    assert not found[1]["queued"] and found[1]["nearest"] is None


def test_the_threshold_is_the_settings(settings):
    settings.COUNTERFEIT_THRESHOLD = 90
    [row] = rows(run("--registered", "定陶发布", "--json", "dtfb"))
    assert row["score"] < 90 and row["queued"] is False


def test_people_read_the_score_the_verdict_and_the_reasons(settings):
    settings.COUNTERFEIT_THRESHOLD = 50
    output = run("--registered", "定陶人社", "定陶区人力资源和社会保障局")
    first, reasons = output.splitlines()
    assert first.split() == ["87", "进入核查", "定陶区人力资源和社会保障局，最相似：定陶人社"]
    assert "同一单位的全称与简称" in reasons


def test_no_candidate_is_an_error():
    with pytest.raises(CommandError, match="没有候选名称"):
        run("--json", stdin=StringIO("\n \n"))
