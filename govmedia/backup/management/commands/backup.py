"""`backup`: the name issue 11 gives `backup_create` (manage.py backup)."""

from .backup_create import Command  # noqa: F401
