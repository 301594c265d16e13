"""The screening of a revision (通知第四部分（一）): its title and the plain text of its body,
checked with the lexicons that apply to the article's unit, through the one screening entry
point (govmedia.screening.screen), stored with the lexicon version that produced them.

Each finding gets a `key` ("body:12:16:规则") that is stable for the text it was found in, so a
reviewer's acknowledgement names the finding it answers. Offsets are into the title or into the
revision's `body_text`, which is what a page highlights.
"""

from govmedia.core.errors import ServiceError
from govmedia.screening.engine.categories import Severity
from govmedia.screening.models import CATEGORY_LABELS
from govmedia.screening.screen import check_text, screener_for

WHERE_LABELS = {"title": "标题", "body": "正文"}


def finding_key(where: str, start: int, end: int, rule: str) -> str:
    return f"{where}:{start}:{end}:{rule}"


def screen_revision(*, org, title: str, body_text: str) -> tuple[list[dict], int]:
    """(findings, lexicon_version) for the title and body text, with the unit's lexicons."""
    screener = screener_for(org)  # one screener, one lexicon version for both texts
    findings = []
    for where, text in (("title", title), ("body", body_text)):
        try:
            text = check_text(text)
        except ServiceError as exc:
            raise ServiceError(exc.message, field=where, code=exc.code) from None
        if not text.strip():
            continue
        for finding in screener.check(text, html=False):
            findings.append(
                {
                    "key": finding_key(where, finding.start, finding.end, finding.rule),
                    "where": where,
                    "category": str(finding.category),
                    "category_label": CATEGORY_LABELS.get(finding.category, str(finding.category)),
                    "rule": finding.rule,
                    "severity": str(finding.severity),
                    "matched": finding.matched,
                    "suggestion": finding.suggestion,
                    "basis": finding.basis,
                    "start": finding.start,
                    "end": finding.end,
                }
            )
    return findings, screener.version


def blocking(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == Severity.BLOCK]


def warnings(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == Severity.WARN]


def describe(finding: dict) -> str:
    """“正文第 13 字起“某词”（敏感词）”: where a finding is, for messages."""
    where = WHERE_LABELS.get(finding["where"], finding["where"])
    return (
        f"{where}第 {finding['start'] + 1} 字起“{finding['matched']}”"
        f"（{finding['category_label']}）"
    )


def block_error(findings: list[dict]) -> ServiceError:
    first = findings[0]
    more = f"，另有 {len(findings) - 1} 处" if len(findings) > 1 else ""
    hint = f"；建议：{first['suggestion']}" if first.get("suggestion") else ""
    error = ServiceError(
        f"{describe(first)}属于禁止发布的内容{hint}{more}，请修改后再提交审核",
        field=first["where"],
        code="blocked",
    )
    error.findings = findings
    return error
