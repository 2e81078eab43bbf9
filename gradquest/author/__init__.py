"""The author's tools, a floor above the game and beside the TUI: `gradquest check` (lint),
`test` (playtest), `solve` (answer_key) and `new` (starter). Nothing a player's level needs."""
