"""What is kept between plays: progress (atomic, locked, merged per level) and resuming a level. No Textual."""
