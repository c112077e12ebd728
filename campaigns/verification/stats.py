"""The statistics of reported vs verified, kept plain enough to check by hand.

A unit reports the share of its booths the campaign reached. Booth presidents
asked in calls answer yes, partly or no (`unknown` is not an answer: not
counted as asked). The verified share is (yes + partly / 2) / asked, with a 95 %
Wilson score interval; a reported share above the interval's upper bound is
more than the calls can explain.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

Z95 = 1.959963984540054  # the normal quantile for a two-sided 95 % interval
NOT_REPORTED, TOO_FEW, OVER, UNDER, CONSISTENT = (
    "not_reported",
    "too_few_answers",
    "over_reported",
    "under_reported",
    "consistent",
)
FLAG_LABELS = {
    OVER: _("Over-reported"),
    CONSISTENT: _("Consistent"),
    UNDER: _("Under-reported"),
    TOO_FEW: _("Too few answers"),
    NOT_REPORTED: _("Not reported"),
}
DOUBT_GAP = 0.1  # verified this far below reported: a unit worth more calls
SETTLE_LIMIT = 10_000  # "more than this many answers": a unit that will not settle


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share (successes may be fractional: partly = 1/2)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Verification:
    """One unit's reported and verified shares, and what they say together."""

    booths: int
    booths_reported: int | None  # None: the unit has not reported
    yes: int = 0
    partly: int = 0
    no: int = 0
    unknown: int = 0
    min_answers: int = 10

    @property
    def answers(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def reported(self) -> float | None:
        if self.booths_reported is None or not self.booths:
            return None
        return min(self.booths_reported / self.booths, 1.0)

    @property
    def verified(self) -> float | None:
        return (self.yes + self.partly / 2) / self.answers if self.answers else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.yes + self.partly / 2, self.answers) if self.answers else None

    @property
    def flag(self) -> str:
        if self.reported is None:
            return NOT_REPORTED
        if self.answers < self.min_answers:
            return TOO_FEW
        interval = self.interval
        assert interval is not None  # there are answers
        low, high = interval
        if self.reported > high:
            return OVER
        if self.reported < low:
            return UNDER
        return CONSISTENT

    @property
    def doubtful(self) -> bool:
        """Flagged over-reported, or leaning that way and not settled: the calls so
        far verify at least DOUBT_GAP less than was reported. Where more calls tell
        most (a unit nobody has answered for yet is the rotation's to reach)."""
        flag = self.flag
        if flag == OVER:
            return True
        if flag not in (TOO_FEW, CONSISTENT) or self.verified is None or self.reported is None:
            return False
        return self.reported - self.verified >= DOUBT_GAP and self.answers_to_settle is not None

    @property
    def answers_to_settle(self) -> int | None:
        """How many more answers would settle a doubtful unit, if the answers go on
        as they have: enough to pass the minimum and, when the calls so far verify
        less than was reported, to bring the interval's top below the report.
        None when nothing is in doubt (no report, flagged already, or consistent
        with calls that verify at least what was reported, or when it would take
        more answers than the unit has booths: as far as calls can tell, consistent)."""
        flag, reported, verified = self.flag, self.reported, self.verified
        if flag in (NOT_REPORTED, OVER, UNDER):
            return None
        more = max(self.min_answers - self.answers, 0)
        if verified is not None and reported is not None and verified < reported:
            needed = answers_to_flag(verified, reported)
            if needed is None or needed > max(self.booths, self.min_answers):
                return more or None
            more = max(more, needed - self.answers)
        return more or None


def answers_to_flag(verified: float, reported: float) -> int | None:
    """The fewest answers at which a verified share of `verified` puts `reported`
    above the interval (None: not within SETTLE_LIMIT answers)."""
    if verified >= reported:
        return None
    low, high = 1, SETTLE_LIMIT
    if wilson(verified * high, high)[1] >= reported:
        return None
    while low < high:  # the upper bound falls as n grows at a fixed share
        middle = (low + high) // 2
        if wilson(verified * middle, middle)[1] < reported:
            high = middle
        else:
            low = middle + 1
    return low
