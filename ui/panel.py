"""What the window's parts have in common: a dataclass of the components events read and write,
and an event's result as {component: value}, in which only the named components change."""

from __future__ import annotations

from typing import Any


class Panel:
    """Base of the dataclasses of components (`Chat`, `Staff`)."""

    def view(self, **values: Any) -> dict[Any, Any]:
        """An event's result as {component: value}: only the named components change."""
        return {getattr(self, name): value for name, value in values.items()}
