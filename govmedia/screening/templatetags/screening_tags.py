from django import template

from ..highlight import describe, rule_label
from ..models import CATEGORY_LABELS, SEVERITY_LABELS

register = template.Library()
register.filter("rule_label", rule_label)
register.filter("finding_title", describe)


@register.filter
def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


@register.filter
def severity_label(code: str) -> str:
    return SEVERITY_LABELS.get(code, code)
