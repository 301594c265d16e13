"""The notice the platform implements (菏定政办发〔2019〕7号) is ordinary government prose: the
seed lexicon must not raise false alarms on it."""

from pathlib import Path

# A copy of seed/000_248f913a2e983162.txt, so the test does not depend on the shared folder.
NOTICE = Path(__file__).resolve().parent / "data" / "notice_000_248f913a2e983162.txt"
QUIET = {"classified", "personal_data", "advertising", "unofficial_source"}


def notice_text() -> str:
    return NOTICE.read_text(encoding="utf-8")


def test_notice_body_gives_no_finding_in_the_quiet_categories(check):
    findings = check(notice_text())
    assert [f for f in findings if f.category in QUIET] == []


def test_notice_body_gives_nothing_that_blocks(check):
    assert [f for f in check(notice_text()) if f.blocks] == []


def test_notice_as_html_paragraphs_gives_no_finding_in_the_quiet_categories(check):
    html = "".join(f"<p>{line}</p>" for line in notice_text().splitlines())
    assert [f for f in check(html, html=True) if f.category in QUIET] == []
