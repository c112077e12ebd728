"""Progress of long work (imports, exports, seeding a demo).

The work reports `progress(phase, done, total)` as it goes, as often as it
likes (every few thousand rows); whoever runs it decides what to show: a
command a progress bar on a terminal or a plain line every few seconds in a
log (`TerminalProgress`), the admin's upload page a row in the database
(`booths.imports.UploadProgress`). `total` is 0 when it is not known yet.
"""

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext_lazy as _

Progress = Callable[[str, int, int], None]
T = TypeVar("T")

# The phases the work reports, in the order they come.
PHASES = {
    "reading": _("reading the file"),
    "checking": _("checking the rows"),
    "writing": _("writing to the roster"),
    "exporting": _("writing the sheet"),
    "seeding": _("creating the demo organisation"),
    "callers": _("creating the demo callers"),
}


def no_progress(phase: str, done: int, total: int) -> None:
    """For work nobody watches."""


def phase_label(phase: str) -> str:
    return str(PHASES.get(phase, phase))


def counted(items: Iterable[T], phase: str, progress: Progress, total: int, *, step: int = 2_000) -> Iterator[T]:
    """Yield `items`, reporting at the start, every `step` of them, and at the end."""
    progress(phase, 0, total)
    done = 0
    for done, item in enumerate(items, start=1):
        if done % step == 0:
            progress(phase, done, total)
        yield item
    progress(phase, done, total)


def remaining_seconds(done: int, total: int, elapsed: float) -> float | None:
    """Time left at the rate so far; None until there is a rate to go by."""
    if not total or done <= 0 or elapsed < 0.5 or done >= total:
        return None
    return elapsed / done * (total - done)


LINE_INTERVAL = 5.0  # seconds between two lines of progress in a log


def command_stream(output: OutputWrapper) -> IO[str]:
    """The stream under a command's stdout or stderr (the wrapper adds line endings)."""
    return output._out  # type: ignore[return-value]  # private; the stubs' __getattr__ calls it a callable


class TerminalProgress:
    """A command's progress: a bar with rate and time left when `stream` is a
    terminal (tqdm); otherwise a plain line every `interval` seconds, and when
    a phase that took a while ends, for logs and cron mails (a small file's
    import prints none)."""

    def __init__(self, stream: IO[str] | None = None, *, interval: float | None = None, unit: str = "rows") -> None:
        self.stream = stream or sys.stdout
        self.interval = LINE_INTERVAL if interval is None else interval
        self.unit = unit
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.phase = ""
        self.bar: Any = None  # a tqdm bar (tqdm has no types)
        self.started = self.last = 0.0
        self.finished = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self.phase:
            self._end_phase()
            self.phase, self.started, self.last, self.finished = phase, now, now, False
            if self.tty:
                from tqdm import tqdm

                self.bar = tqdm(total=total or None, desc=phase_label(phase), unit=f" {self.unit}",
                                file=self.stream, unit_scale=True, dynamic_ncols=True, leave=True)  # fmt: skip
        if self.bar is not None:
            bar = self.bar
            if total and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)
            return
        ended = bool(total) and done >= total
        if ended and not self.finished:
            self.finished = True
            if now - self.started >= 1.0:
                self._line(done, total, now)
        elif now - self.last >= self.interval and not ended:
            self._line(done, total, now)

    def _line(self, done: int, total: int, now: float) -> None:
        self.last = now
        elapsed = now - self.started
        parts = [f"{phase_label(self.phase)}: {done:,}" + (f" / {total:,}" if total else "") + f" {self.unit}"]
        if total:
            parts.append(f"{100 * done / total:.0f} %")
        if elapsed >= 0.5 and done:
            parts.append(f"{done / elapsed:,.0f} {self.unit}/s")
        left = remaining_seconds(done, total, elapsed)
        if left is not None:
            parts.append(f"about {left:,.0f} s left")
        self.stream.write(", ".join(parts) + "\n")
        self.stream.flush()

    def _end_phase(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def close(self) -> None:
        self._end_phase()
