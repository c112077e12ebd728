"""Importing the people sheet: one row per caller or dashboard viewer.

A row creates or updates the person, their account (the username is the
mobile number in E.164) and their posts: a district in-charge's districts, a
state office-bearer's regions (none: the whole state), a district president's
districts, a regional president's regions, the state leadership's state. The
file says the whole of a person's posts of these roles: posts it no longer
lists end on the import date; history is kept. A district or region has one
president: naming another one ends the post of the one before (a warning says
so), as a new booth president does in the roster file.

A callers file manages callers' and viewers' accounts, never anyone else's: a
row naming the mobile of a staff or superuser account is refused, and an
existing account's email and active flag are never changed by a file (a
warning says what differs; an admin changes them in the admin). The email is
where a password reset goes and the mobile where sign-in links go, so a file
could otherwise hand an account to whoever uploads it.
"""

import contextlib
import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from booths.models import District, Person, Post, Region, State, User
from booths.phones import parse_indian_mobile
from booths.progress import Progress, no_progress
from booths.states import STATES

from .files import Table, clean_cell
from .importer import run_import, too_long
from .problems import WARNING, ImportReport, Problem

CALLER_COLUMNS = ["name", "phone", "role", "districts", "regions", "email"]
ROLES = {
    "district_incharge": Post.Role.DISTRICT_INCHARGE,
    "state_office_bearer": Post.Role.STATE_OFFICE_BEARER,
    "leadership": Post.Role.LEADERSHIP,
    "regional_president": Post.Role.REGIONAL_PRESIDENT,
    "district_president": Post.Role.DISTRICT_PRESIDENT,
}
DISTRICT_ROLES = (Post.Role.DISTRICT_INCHARGE, Post.Role.DISTRICT_PRESIDENT)
REGION_ROLES = (Post.Role.STATE_OFFICE_BEARER, Post.Role.REGIONAL_PRESIDENT)
# Roles a unit has one current holder of (the database says so too).
ONE_PER_UNIT = {Post.Role.DISTRICT_PRESIDENT: "district_id", Post.Role.REGIONAL_PRESIDENT: "region_id"}

audit = logging.getLogger("booths.audit")


@dataclass
class CallerRow:
    number: int
    name: str
    mobile: str = ""
    role: str = ""
    state_id: int | None = None
    units: set[int | None] = field(default_factory=set)  # district, region (None: whole state) or state ids
    email: str = ""


def callers_import(
    *,
    source: str | Path | IO[bytes],
    filename: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    error_file: str | Path | None = None,
    on: datetime.date | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a callers sheet; see the module's docstring."""
    day = on or timezone.localdate()

    def write(rows: list[CallerRow], report: ImportReport) -> None:
        for row in rows:
            _write(row, report, day)

    return run_import(
        source=source,
        filename=filename,
        required=["name", "phone", "role"],
        columns=CALLER_COLUMNS,
        check=_check_rows,
        write=write,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        error_file=error_file,
        progress=progress,
    )


def _check_rows(table: Table, report: ImportReport) -> list[CallerRow]:
    states = dict(State.objects.values_list("code", "pk"))
    states.update({name: states[code] for code, name in STATES.items() if code in states})
    districts: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for pk, name, state_id, region in District.objects.values_list("pk", "name", "region__state_id", "region__name"):
        districts[(state_id, name)].append((pk, region))
    regions = {(state_id, name): pk for pk, state_id, name in Region.objects.values_list("pk", "state_id", "name")}
    phones: dict[str, int] = {}
    presidents_seen: dict[tuple[str, int | None], int] = {}
    holders = {
        (role, district_id or region_id): (name, str(mobile))
        for role, district_id, region_id, name, mobile in Post.objects.current()
        .filter(role__in=list(ONE_PER_UNIT))
        .values_list("role", "district_id", "region_id", "person__name", "person__mobile")
    }
    rows = []
    for number, cells in table.rows:

        def error(column: str, message: str, number: int = number) -> None:
            report.problems.append(Problem(number, column, message))

        row = CallerRow(number, cells.get("name", ""))
        if not row.name:
            error("name", _("This cell is empty; every caller needs a name."))
        for column, limit in (("name", 200), ("email", 254), ("districts", 2_000), ("regions", 2_000)):
            if message := too_long(cells.get(column, ""), limit):
                error(column, message)
        try:
            row.mobile = parse_indian_mobile(cells.get("phone", "")).as_e164
        except ValidationError as exc:
            error("phone", exc.messages[0])
        if row.mobile in phones:
            error("phone", _("This number is already in row %(row)s of this file.") % {"row": phones[row.mobile]})
        elif row.mobile:
            phones[row.mobile] = number
        state = cells.get("state", "") or settings.DEFAULT_STATE_CODE
        row.state_id = states.get(state.upper(), states.get(state))
        if row.state_id is None:
            error("state", _("There is no state “%(value)s” in the roster; import its roster first.")
                  % {"value": state})  # fmt: skip
        role = cells.get("role", "").lower()
        row.role = ROLES.get(role, "")
        if not row.role:
            error("role", _("“%(value)s” is not a caller role; write one of %(roles)s.")
                  % {"value": cells.get("role", ""), "roles": ", ".join(ROLES)})  # fmt: skip
        district_names = _names(cells.get("districts", ""))
        region_names = _names(cells.get("regions", ""))
        if row.role in DISTRICT_ROLES:
            if not district_names:
                error("districts", _("A %(role)s needs their districts, separated by ;") % {"role": role})
            for name in district_names:
                found = districts.get((row.state_id, name), [])
                if len(found) == 1:
                    row.units.add(found[0][0])
                elif not found:
                    error("districts", _("There is no district “%(name)s” in the roster.") % {"name": name})
                else:
                    error("districts", _("“%(name)s” is a district in several regions (%(regions)s).")
                          % {"name": name, "regions": ", ".join(region for _pk, region in found)})  # fmt: skip
            if region_names:
                report.problems.append(Problem(number, "regions", _("Ignored for a %(role)s.") % {"role": role},
                                               WARNING))  # fmt: skip
        elif row.role in REGION_ROLES:
            for name in region_names:
                if (row.state_id, name) in regions:
                    row.units.add(regions[(row.state_id, name)])
                else:
                    error("regions", _("There is no region “%(name)s” in the roster.") % {"name": name})
            if not region_names:
                if row.role == Post.Role.REGIONAL_PRESIDENT:
                    error("regions", _("A regional_president needs their regions, separated by ;"))
                else:
                    row.units.add(None)  # the whole state
            if district_names:
                report.problems.append(Problem(number, "districts", _("Ignored for a %(role)s.") % {"role": role},
                                               WARNING))  # fmt: skip
        elif row.role == Post.Role.LEADERSHIP:
            if row.state_id is not None:
                row.units.add(row.state_id)
            for column, names in (("districts", district_names), ("regions", region_names)):
                if names:
                    report.problems.append(
                        Problem(number, column, _("Ignored: leadership sees the whole state."), WARNING)
                    )
        if row.role in ONE_PER_UNIT:
            for unit in row.units:
                key = (row.role, unit)
                if key in presidents_seen:
                    error(ONE_PER_UNIT[row.role][:-3] + "s", _("Row %(row)s names another president of the same "
                          "unit; a district or region has one.") % {"row": presidents_seen[key]})  # fmt: skip
                presidents_seen.setdefault(key, number)
                holder = holders.get(key)
                if holder and holder[1] != row.mobile:
                    report.problems.append(Problem(
                        number, ONE_PER_UNIT[row.role][:-3] + "s",
                        _("Replaces %(name)s as president; their post ends.") % {"name": holder[0]}, WARNING,
                    ))  # fmt: skip
        row.email = cells.get("email", "")
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                error("email", _("“%(value)s” is not an email address.") % {"value": row.email})
        rows.append(row)
    _check_accounts(rows, report)
    return rows


def _check_accounts(rows: list[CallerRow], report: ImportReport) -> None:
    """Refuse rows that would touch an admin's account; say what a file leaves alone."""
    by_mobile = {row.mobile: row for row in rows if row.mobile}
    for mobile in _admin_mobiles() & set(by_mobile):
        report.problems.append(Problem(by_mobile[mobile].number, "phone", _(
            "This number belongs to an admin account; a callers file cannot change admin accounts. "
            "Change it in the admin's Users page, or give the caller another number."
        )))  # fmt: skip
    accounts = User.objects.filter(Q(username__in=list(by_mobile)) | Q(person__mobile__in=list(by_mobile)))
    for username, mobile, is_active, email in accounts.filter(is_staff=False, is_superuser=False).values_list(
        "username", "person__mobile", "is_active", "email"
    ):
        for key in {username, str(mobile or "")} & set(by_mobile):
            row = by_mobile[key]
            if not is_active:
                report.problems.append(Problem(row.number, "phone", _(
                    "This account is deactivated and stays so: its posts are written, but it cannot sign in "
                    "until an admin activates it in the admin's Users page."
                ), WARNING))  # fmt: skip
            if row.email and email and row.email.lower() != email.lower():
                report.problems.append(Problem(row.number, "email", _(
                    "The account's email stays %(email)s: a file never changes an existing account's email "
                    "(it is where a password reset goes); change it in the admin's Users page."
                ) % {"email": email}, WARNING))  # fmt: skip


def _admin_mobiles() -> set[str]:
    """The mobiles (E.164) of staff and superuser accounts: their username when it
    is a phone number in any form, and their person's mobile."""
    mobiles = set()
    for username, mobile in User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).values_list(
        "username", "person__mobile"
    ):
        for value in (username, str(mobile or "")):
            with contextlib.suppress(ValidationError):
                mobiles.add(parse_indian_mobile(value).as_e164)
    return mobiles


def _names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split(";") if name.strip()]


def _write(row: CallerRow, report: ImportReport, on: datetime.date) -> None:
    user = User.objects.filter(username=row.mobile).select_related("person").first()
    person = user.person if user else None
    if person is None:
        person = (
            Person.objects.filter(mobile=row.mobile, name=row.name)
            .filter(Q(user__isnull=False) | Q(posts__role__in=Post.ACCOUNT_ROLES))
            .first()
        )
    if person is None:
        person = Person.objects.create(name=row.name, mobile=row.mobile)
        report.count("people", "created")
    elif (clean_cell(person.name), str(person.mobile)) != (row.name, row.mobile):
        if str(person.mobile) != row.mobile:
            # Where this person's sign-in links will go from now on.
            audit.warning("callers file changed the mobile of person %s from %s to %s", person.pk,
                          person.mobile, row.mobile)  # fmt: skip
        person.name, person.mobile = row.name, row.mobile
        person.save(update_fields=["name", "mobile", "updated_at"])
        report.count("people", "changed")
    else:
        report.count("people", "unchanged")

    if user is None:
        user = getattr(person, "user", None)
    if user is None:
        user = User(username=row.mobile, first_name=row.name[:150], email=row.email, person=person)
        user.set_unusable_password()
        user.save()
        report.count("accounts", "created")
    elif user.person_id != person.pk:
        # An existing account keeps its email and active flag (the checks warned
        # where the file differs); only its link to the person is made.
        user.person = person
        user.save(update_fields=["person"])
        report.count("accounts", "changed")
    else:
        report.count("accounts", "unchanged")

    unit = _unit_field(row.role)
    held = Post.objects.current().with_accounts().filter(person=person)
    current = {getattr(post, unit): post for post in held.filter(role=row.role)}
    for other in held.exclude(role=row.role):
        other.end_date = on
        other.save(update_fields=["end_date"])
        report.count("caller posts", "ended")
    for key, post in current.items():
        if key not in row.units:
            post.end_date = on
            post.save(update_fields=["end_date"])
            report.count("caller posts", "ended")
    for key in row.units - set(current):
        if row.role in ONE_PER_UNIT:
            replaced = Post.objects.current().filter(role=row.role, **{unit: key}).exclude(person=person)
            report.count("caller posts", "ended", replaced.update(end_date=on))
        Post.objects.create(person=person, role=row.role, start_date=on, **_post_units(row, unit, key))
        report.count("caller posts", "created")
    report.count("caller posts", "unchanged", len(row.units & set(current)))


def _unit_field(role: str) -> str:
    if role in DISTRICT_ROLES:
        return "district_id"
    return "region_id" if role in REGION_ROLES else "state_id"


def _post_units(row: CallerRow, unit: str, key: int | None) -> dict[str, int | None]:
    if row.role == Post.Role.STATE_OFFICE_BEARER:
        return {"state_id": row.state_id, "region_id": key}
    return {unit: key}
