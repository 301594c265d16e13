"""`manage.py publishing_match --revision FILE --post FILE [--json]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.publishing.matching.fixtures import MEETING_REPORT, as_html, replaced, with_prefix


def run(*args) -> str:
    out = io.StringIO()
    call_command("publishing_match", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return write


def test_json_is_one_line_with_match_and_score(files):
    revision = files("revision.txt", MEETING_REPORT)
    post = files("post.html", as_html(with_prefix(MEETING_REPORT)))  # HTML told by its tags
    printed = run("--revision", revision, "--post", post, "--json")
    assert printed.count("\n") == 1 and printed.endswith("\n")
    result = json.loads(printed)
    assert list(result) == ["match", "score", "reason"]
    assert result["match"] is True and isinstance(result["score"], int)
    assert 85 <= result["score"] <= 100 and result["reason"] == ""


def test_json_for_a_changed_figure(files):
    revision = files("revision.txt", MEETING_REPORT)
    post = files("post.txt", replaced(MEETING_REPORT, "3000万元", "5000万元"))
    result = json.loads(run("--revision", revision, "--post", post, "--json"))
    assert result["match"] is False and result["score"] < 85
    assert "5000万元" in result["reason"]


def test_without_json_a_chinese_sentence(files):
    revision = files("revision.txt", "\ufeff" + MEETING_REPORT)  # a BOM is no content
    same = files("same.txt", MEETING_REPORT)
    assert run("--revision", revision, "--post", same).startswith("一致（得分 100）")
    other = files("other.txt", MEETING_REPORT[:200])
    printed = run("--revision", revision, "--post", other)
    assert printed.startswith("不一致（得分 ") and "仅覆盖稿件的" in printed


def test_bad_input_is_refused_in_chinese(files, tmp_path):
    revision = files("revision.txt", MEETING_REPORT)
    cases = {
        "找不到已发布内容文件": ("--revision", revision, "--post", str(tmp_path / "missing.txt")),
        "是目录": ("--revision", str(tmp_path), "--post", revision),
        "不是有效的 UTF-8": (
            "--revision",
            revision,
            "--post",
            files("gbk.txt", MEETING_REPORT.encode("gbk")),
        ),
        "请用 --post 指定": ("--revision", revision),
        "--threshold 应在 1–100 之间": (
            "--revision",
            revision,
            "--post",
            revision,
            "--threshold",
            "0",
        ),
    }
    for message, args in cases.items():
        with pytest.raises(CommandError, match=message) as raised:
            run(*args, "--json")
        assert raised.value.returncode == 2
