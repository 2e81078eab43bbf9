"""GradQuest: learn backpropagation and gradient descent by doing the arithmetic."""

__version__ = "0.1.0"
