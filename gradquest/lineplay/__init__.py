"""The line player: a level played line by line, for a dumb terminal, a pipe or `--plain`."""
