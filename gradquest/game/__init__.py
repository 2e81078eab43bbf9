"""The referee and the state machine: a level being played (sessions, answers, the mistake model, hints, scoring). No Textual."""
