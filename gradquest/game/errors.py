"""Errors of the game layer, in a module of their own so the command line can catch them without
importing the engine."""


class ModelError(ValueError):
    """The model cannot be built or is not finite; `field` says where in the level."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
