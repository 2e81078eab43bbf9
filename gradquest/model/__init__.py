"""The model a level declares: one evaluator in dependency order, the world it builds, training. No Textual."""
