"""`restore`: the name issue 11 gives `backup_restore` (manage.py restore)."""

from .backup_restore import Command  # noqa: F401
