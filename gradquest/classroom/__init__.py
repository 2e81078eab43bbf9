"""The classroom: a class's report for its teacher, and the game served to the class in the browser."""
