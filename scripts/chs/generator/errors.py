"""The generator's user error: invalid arguments or an invalid signal configuration."""

from __future__ import annotations

from chs.errors import UserError


class GeneratorError(UserError, ValueError):
    """Invalid generator arguments."""
