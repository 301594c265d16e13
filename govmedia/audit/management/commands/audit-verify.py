"""`audit-verify`: the earlier name of `audit_verify`, kept for scripts and cron entries."""

from .audit_verify import Command  # noqa: F401
