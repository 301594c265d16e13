"""The checked text as HTML with every finding marked at its exact offsets.

The text is always escaped, never rendered: an HTML input is shown as its source, so a
<script> in it is just characters on the page. Findings of different categories may overlap
(an ID number inside a typo, a title inside a sensitive phrase), so the text is cut at every
start and end and each piece covered by at least one finding becomes one <mark> naming all of
them: marks never nest and never cross, whatever the findings.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .engine import DETECTOR_RULES, Finding, Severity
from .models import CATEGORY_LABELS, SEVERITY_LABELS


def rule_label(finding: Finding) -> str:
    return DETECTOR_RULES.get(finding.rule, finding.rule)


def describe(finding: Finding) -> str:
    """One line about a finding, for a tooltip."""
    text = (
        f"{CATEGORY_LABELS.get(finding.category, finding.category)}·"
        f"{SEVERITY_LABELS.get(finding.severity, finding.severity)}：{rule_label(finding)}"
    )
    if finding.suggestion:
        text += f"，建议改为“{finding.suggestion}”"
    return text


def highlighted_html(text: str, findings: list[Finding]) -> SafeString:
    starts, ends = defaultdict(list), defaultdict(list)
    for index, finding in enumerate(findings):
        # Offsets come from the engine for this very text; clamp anyway so a bad one can
        # only mark less, never break the page.
        start, end = max(0, finding.start), min(len(text), finding.end)
        if start < end:
            starts[start].append(index)
            ends[end].append(index)
    bounds = sorted({0, len(text), *starts, *ends})
    active: dict[int, Finding] = {}
    pieces = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        for index in ends.get(left, ()):
            active.pop(index, None)
        for index in starts.get(left, ()):
            pieces.append(f'<span id="f-{index + 1}" class="finding-anchor"></span>')
            active[index] = findings[index]
        segment = escape(text[left:right])
        if active:
            pieces.append(_mark(active, segment))
        else:
            pieces.append(segment)
    return mark_safe("".join(pieces))


def _mark(active: dict[int, Finding], segment: str) -> str:
    blocks = any(finding.severity == Severity.BLOCK for finding in active.values())
    classes = f"finding sev-{'block' if blocks else 'warn'}"
    if len(active) > 1:
        classes += " overlap"
    title = escape("\n".join(describe(active[index]) for index in sorted(active)))
    numbers = " ".join(str(index + 1) for index in sorted(active))
    return f'<mark class="{classes}" title="{title}" data-findings="{numbers}">{segment}</mark>'


@dataclass
class CategoryGroup:
    code: str
    label: str
    findings: list  # (number, finding) pairs, number as the marks show it
    total: int
    block_count: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.findings)


def grouped_by_category(findings: list[Finding], limit: int) -> list[CategoryGroup]:
    """Findings by category in the fixed category order; at most `limit` listed per category."""
    groups: dict[str, list] = defaultdict(list)
    for number, finding in enumerate(findings, start=1):
        groups[finding.category].append((number, finding))
    order = [str(code) for code in CATEGORY_LABELS]
    result = []
    for code in sorted(groups, key=lambda c: order.index(c) if c in order else len(order)):
        items = groups[code]
        result.append(
            CategoryGroup(
                code=code,
                label=CATEGORY_LABELS.get(code, code),
                findings=items[:limit],
                total=len(items),
                block_count=sum(1 for _, finding in items if finding.blocks),
            )
        )
    return result
