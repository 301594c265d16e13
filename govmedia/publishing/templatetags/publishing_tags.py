from django import template

from ..models import CHECKS

register = template.Library()


@register.filter
def check_rows(checks: dict) -> list[tuple[str, bool]]:
    """A decision's four checks (国办发〔2018〕123号) as (label, ticked), in the order of CHECKS."""
    checks = checks if isinstance(checks, dict) else {}
    return [(label, bool(checks.get(key))) for key, label in CHECKS.items()]
