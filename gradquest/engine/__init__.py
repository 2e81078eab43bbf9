"""The autograd engine: the referee of every answer. Imports numpy and nothing else of gradquest."""

from gradquest.engine.value import Value, apply, maximum, minimum, zero_grad

__all__ = ["Value", "apply", "maximum", "minimum", "zero_grad"]
