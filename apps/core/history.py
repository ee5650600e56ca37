"""django-simple-history's per-save attributes, set in one typed place.

simple_history reads `_history_user` and `_change_reason` from the instance on its next save;
they are not model fields, so type checkers cannot see them.
"""

from typing import Any


def history_note(instance: Any, *, user: Any = None, reason: str = "") -> None:
    """Record who makes the next save of `instance` and why, in its history row."""
    if user is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = reason
