"""The 审签单 of a real article: built from its approving run (publishing.printing), served as
PDF and DOCX after the article page's scope check."""

import io
import subprocess

from docx import Document

from govmedia.publishing import printing
from tests.conftest import logged_in_client
from tests.publishing.helpers import active_step, approved, decide, fresh, submit, write


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_sheet_of_an_approved_article_names_both_reviewers(world, newsroom, tmp_path):
    n = newsroom
    n.tian_reviewer.name = "李初审"  # as the demo's users are named (a Latin name may wrap)
    n.tian_reviewer.save(update_fields=["name"])
    article = approved(n, picture=False)
    revision = fresh(article).current_revision
    client = logged_in_client(n.tian_editor)
    response = client.get(f"/publishing/{article.pk}/sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(pdf_text(response.content, tmp_path).split())  # cells wrap long words
    assert n.tian_reviewer.name in text and n.tian_leader.name in text
    assert revision.content_hash in text
    assert "已通过" in text and "天中发布（微信公众号）" in text

    docx = client.get(f"/publishing/{article.pk}/sheet.docx")
    assert docx.status_code == 200
    doc = Document(io.BytesIO(docx.content))
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert n.tian_reviewer.name in cells and n.tian_leader.name in cells
    assert revision.content_hash in cells


def test_sheet_of_a_run_under_way_shows_who_is_waiting(world, newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    decide(n.tian_reviewer, active_step(article))
    data = printing.review_sheet_data(fresh(article))
    assert [s.stage for s in data.steps] == ["初审", "终审"]
    assert data.steps[0].reviewer == n.tian_reviewer.name and data.steps[0].decision == "通过"
    assert data.steps[1].reviewer == n.tian_leader.name and data.steps[1].decision == "审核中"
    assert data.result == "审核中"
    draft = printing.review_sheet_data(write(n, title="未提交的稿件"))
    assert draft.steps == () and draft.result == "草稿"


def test_another_townships_sheet_is_404(world, newsroom):
    n = newsroom
    article = approved(n, picture=False)
    client = logged_in_client(n.chen_editor)
    for ext in ("pdf", "docx"):
        assert client.get(f"/publishing/{article.pk}/sheet.{ext}").status_code == 404
