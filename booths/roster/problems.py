"""What an import found wrong, row by row, and what it did."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# What the summary's table counts, named in the reader's language (the counts keep the English keys).
SUMMARY_THINGS = [
    gettext_noop("states"),
    gettext_noop("regions"),
    gettext_noop("districts"),
    gettext_noop("mandals"),
    gettext_noop("shakti kendras"),
    gettext_noop("Lok Sabha seats"),
    gettext_noop("assembly seats"),
    gettext_noop("booths"),
    gettext_noop("presidents"),
    gettext_noop("people"),
    gettext_noop("accounts"),
    gettext_noop("caller posts"),
    gettext_noop("tiffin meetings"),
]

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    row: int  # the row number in the sheet (the header is row 1); 0 for the file as a whole
    column: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ImportReport:
    """The outcome of an import (or a dry run, which reports the same)."""

    rows: int = 0
    rows_imported: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # (thing, action) -> n
    written: bool = False
    dry_run: bool = False
    error_file: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == WARNING]

    @property
    def bad_rows(self) -> set[int]:
        return {problem.row for problem in self.errors}

    @property
    def changed_anything(self) -> bool:
        return any(n for (_thing, action), n in self.counts.items() if action != "unchanged")

    def count(self, thing: str, action: str, n: int = 1) -> None:
        self.counts[(thing, action)] += n

    def table(self) -> list[tuple[str, int, int, int, int]]:
        """(thing, created, changed, unchanged, ended) for each thing counted."""
        things = list(dict.fromkeys(thing for thing, _action in self.counts))
        return [
            (thing, *(self.counts[(thing, action)] for action in ("created", "changed", "unchanged", "ended")))
            for thing in things
        ]


def summary_lines(report: ImportReport, *, limit: int = 50, roster: bool = True) -> list[str]:
    """The summary the commands print (the admin shows the same in a page).
    `roster`: the roster's and callers' files, which can set bad rows aside;
    the other sheets (seats, reports, tiffin meetings) are all or nothing."""
    lines = []
    errors, warnings = report.errors, report.warnings
    if report.rows_imported == 0 and errors and not report.written:
        if any(problem.row == 0 for problem in errors):
            lines.append(_("Nothing was imported: the file cannot be read."))
        elif not roster:
            lines.append(
                _("Nothing was imported: %(bad)s of %(rows)s rows have errors. Fix them and import the file again.")
                % {"bad": len(report.bad_rows), "rows": report.rows}
            )
        else:
            lines.append(
                _(
                    "Nothing was imported: %(bad)s of %(rows)s rows have errors. Fix them and import again, or "
                    "import just the good rows and get the bad ones back in a file to fix."
                )
                % {"bad": len(report.bad_rows), "rows": report.rows}
            )
    elif report.dry_run:
        lines.append(
            _("Dry run of %(rows)s rows: nothing was written. An import would do this:") % {"rows": report.rows}
        )
    elif not report.changed_anything and not roster:
        lines.append(_("No changes: all %(rows)s rows are already as the file says.") % {"rows": report.rows_imported})
    elif not report.changed_anything:
        lines.append(
            _("No changes: the roster already matches all %(rows)s rows of this file.") % {"rows": report.rows_imported}
        )
    else:
        lines.append(_("Imported %(done)s of %(rows)s rows.") % {"done": report.rows_imported, "rows": report.rows})
    if report.counts:
        heads = (_("created"), _("changed"), _("unchanged"), _("ended"))
        lines.append(f"  {'':<18} {heads[0]:>9} {heads[1]:>9} {heads[2]:>10} {heads[3]:>7}")
        for thing, created, changed, unchanged, ended in report.table():
            name = _(thing) if thing in SUMMARY_THINGS else thing
            lines.append(f"  {name:<18} {created:>9,} {changed:>9,} {unchanged:>10,} {ended:>7,}")
    for title, problems in ((_("Errors"), errors), (_("Warnings"), warnings)):
        if problems:
            lines.append(f"{title} ({len(problems)}):")
            lines.extend(f"  {problem}" for problem in problems[:limit])
            if len(problems) > limit:
                lines.append("  " + _("... and %(n)s more") % {"n": len(problems) - limit})
    if report.error_file:
        lines.append(
            _("The rows with errors are in %(file)s: fix them there and import that file.")
            % {"file": report.error_file}
        )
    return lines
