"""`screen`: the earlier name of `screening_check`, kept for scripts."""

from .screening_check import Command  # noqa: F401
