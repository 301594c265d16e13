from django import template

from ..rules import RULES

register = template.Library()


@register.filter
def rule_title(code: str) -> str:
    rule = RULES.get(code)
    return rule.title if rule else code
