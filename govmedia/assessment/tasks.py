"""Background work of 检查考核, run by django-q2 (schedules.py)."""

from .services.figures import figures_build_recent


def build_recent_figures() -> int:
    """Nightly: this month's and last month's 传播力 figures from the posts pulled so far."""
    return figures_build_recent()
