"""How well a learner knows each rule of backprop, and when to review it (`gradquest practice`).

A rule is an operation's forward and local rule (mul, add, div, pow, exp, log, tanh, sigmoid,
relu) or a pattern of the graph (`fork`: a value read by two nodes, whose gradients add up;
`reuse`: one node reading a value twice, b = a + a). Each rule has a mastery level, as Khan
Academy's: Attempted, Familiar, Proficient, Mastered. Asks on a rule are taken two at a time:
both right moves it up a level, both wrong down one, one of each leaves it (the first ask on a new
rule makes it Attempted). Each pair is also a review of the rule's FSRS card (the `fsrs`
package: Good for two right, Hard for one, Again for none), which says when the rule is due
again. Time is always passed in (`now`), so tests are deterministic; the scheduler does not fuzz.

The state is plain JSON (`Mastery.to_json`, `Mastery.from_json`): the command keeps it with the
progress (`store/`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler

RULES = ("mul", "add", "div", "pow", "exp", "log", "tanh", "sigmoid", "relu", "fork", "reuse")
LEVELS = ("new", "attempted", "familiar", "proficient", "mastered")
SCHEDULER = Scheduler(enable_fuzzing=False)
SOON = timedelta(hours=1)  # due within the hour counts as due in this round
NAMES = {
    "mul": ("the product a·b", "乘法 a·b"), "add": ("the sum a + b", "加法 a + b"), "div": ("the quotient a/b", "除法 a/b"),
    "pow": ("the power aⁿ", "乘方 aⁿ"), "exp": ("exp", "exp"), "log": ("log", "log"), "tanh": ("tanh", "tanh"),
    "sigmoid": ("sigmoid", "sigmoid"), "relu": ("relu (its kink)", "relu（及其拐点）"),
    "fork": ("a fork: gradients add up", "分叉：梯度相加"), "reuse": ("a value used twice (b = a + a)", "同一个值用两次（b = a + a）"),
}
LEVEL_NAMES = {"new": ("New", "未练习"), "attempted": ("Attempted", "尝试过"), "familiar": ("Familiar", "熟悉"),
               "proficient": ("Proficient", "熟练"), "mastered": ("Mastered", "掌握")}


@dataclass
class RuleState:
    level: int = 0  # an index into LEVELS
    pending: list[bool] = field(default_factory=list)  # the first of a pair of asks, until the second
    card: Card | None = None
    asks: int = 0
    right: int = 0


@dataclass
class Mastery:
    rules: dict[str, RuleState] = field(default_factory=lambda: {r: RuleState() for r in RULES})

    def record(self, rule: str, right: bool, now: datetime) -> None:
        """One ask on `rule`, right at the first try or not."""
        state = self.rules[rule]
        state.asks += 1
        state.right += right
        if state.level == 0:
            state.level = 1
        state.pending.append(right)
        if len(state.pending) < 2:
            return
        both = sum(state.pending)
        state.pending = []
        if both == 2:
            state.level = min(state.level + 1, len(LEVELS) - 1)
        elif both == 0:
            state.level = max(state.level - 1, 1)
        rating = (Rating.Again, Rating.Hard, Rating.Good)[both]
        state.card, _ = SCHEDULER.review_card(state.card or Card(due=now), rating, review_datetime=now)

    def level(self, rule: str) -> str:
        return LEVELS[self.rules[rule].level]

    def due(self, rule: str, now: datetime) -> datetime:
        """When the rule is next due: now for a rule never reviewed."""
        card = self.rules[rule].card
        return now if card is None else card.due

    def to_practise(self, now: datetime) -> list[str]:
        """The rules in the order to practise them: those due within the hour (FSRS's learning
        steps are minutes) before the rest, and among them the rules already met and least known
        before new ones; a mastered rule only once it is due."""
        soon = now + SOON
        waiting = [r for r in RULES if self.level(r) != "mastered" or self.due(r, now) <= now]
        return sorted(waiting, key=lambda r: (self.due(r, now) > soon, self.rules[r].level == 0,
                                              self.rules[r].level, self.due(r, now)))

    def to_json(self) -> str:
        return json.dumps({r: {"level": s.level, "pending": s.pending, "asks": s.asks, "right": s.right,
                               "card": s.card.to_dict() if s.card else None} for r, s in self.rules.items()})

    @classmethod
    def from_json(cls, text: str | None) -> Mastery:
        """The state kept in the progress; what cannot be read starts afresh (never an error)."""
        mastery = cls()
        try:
            doc = json.loads(text) if text else {}
            for rule, value in doc.items():
                if rule in mastery.rules and isinstance(value, dict):
                    level = value.get("level", 0)
                    card = Card.from_dict(value["card"]) if value.get("card") else None
                    mastery.rules[rule] = RuleState(
                        level=level if level in range(len(LEVELS)) else 0,
                        pending=[bool(p) for p in value.get("pending", [])][:1], card=card,
                        asks=int(value.get("asks", 0)), right=int(value.get("right", 0)))
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()
        return mastery


def review_words(due: datetime, now: datetime, lang: str) -> str:
    """When a rule comes back: "review today", "review tomorrow", "review in 5 days"."""
    days = (due.date() - now.date()).days
    if days <= 0:
        return "今天复习" if lang == "zh" else "review today"
    if days == 1:
        return "明天复习" if lang == "zh" else "review tomorrow"
    return f"{days} 天后复习" if lang == "zh" else f"review in {days} days"
