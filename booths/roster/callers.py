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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from booths.models import District, Person, Post, Region, State, User
from booths.phones import parse_indian_mobile
from booths.progress import Progress, counted, no_progress
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
ONE_PER_UNIT: dict[str, str] = {Post.Role.DISTRICT_PRESIDENT: "district_id", Post.Role.REGIONAL_PRESIDENT: "region_id"}

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
        _Writer(report, day, progress).write(rows)

    return run_import(
        source=source,
        filename=filename,
        required=["name", "phone", "role"],
        columns=CALLER_COLUMNS,
        check=lambda table, report: _check_rows(table, report, progress),
        write=write,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        error_file=error_file,
        progress=progress,
    )


def _check_rows(table: Table, report: ImportReport, progress: Progress = no_progress) -> list[CallerRow]:
    states = dict(State.objects.values_list("code", "pk"))
    states.update({name: states[code] for code, name in STATES.items() if code in states})
    districts: dict[tuple[int | None, str], list[tuple[int, str]]] = defaultdict(list)
    for pk, name, state_id, region in District.objects.values_list("pk", "name", "region__state_id", "region__name"):
        districts[(state_id, name)].append((pk, region))
    regions: dict[tuple[int | None, str], int] = {
        (state_id, name): pk for pk, state_id, name in Region.objects.values_list("pk", "state_id", "name")
    }
    phones: dict[str, int] = {}
    presidents_seen: dict[tuple[str, int | None], int] = {}
    holders: dict[tuple[str, int | None], tuple[str, str]] = {
        (role, district_id or region_id): (name, str(mobile))
        for role, district_id, region_id, name, mobile in Post.objects.current()
        .filter(role__in=list(ONE_PER_UNIT))
        .values_list("role", "district_id", "region_id", "person__name", "person__mobile")
    }
    rows = []
    for number, cells in counted(table.rows, "checking", progress, len(table.rows), step=2_000):

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
    seen: set[tuple[int, str]] = set()
    for chunk in _chunks(list(by_mobile)):
        accounts = (
            User.objects.annotate(mobile_text=_as_text("person__mobile"))
            .filter(Q(username__in=chunk) | Q(mobile_text__in=chunk))
            .filter(is_staff=False, is_superuser=False)
            .values_list("pk", "username", "mobile_text", "is_active", "email")
        )
        for pk, username, mobile, is_active, email in accounts:
            for key in {username, str(mobile or "")}:
                row = by_mobile.get(key)
                if row is None or (pk, key) in seen:  # another chunk found the same account by the same key
                    continue
                seen.add((pk, key))
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


CHUNK = 5_000  # values in one IN (...): SQLite takes at most 32,766 parameters a statement
BATCH = 1_000  # rows an INSERT or UPDATE


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _as_text(field: str) -> ExpressionWrapper:
    """A phone column read (or compared) as the E.164 text it is stored as, not
    parsed into a PhoneNumber for each row."""
    return ExpressionWrapper(F(field), output_field=CharField())


@dataclass
class _Pending:
    """A post to create, as the file says; a later row of the same person may end it."""

    post: Post


class _Writer:
    """Writes the checked rows set-wise: a few queries for the whole file, not a
    few a row. It does what writing the rows one by one in file order would:
    each person found by their account (username = mobile) or else by mobile
    and name among people with an account or a post of the sheet, or created;
    their account created or linked; their posts of other roles and of units
    the file no longer lists ended, new ones started; a unit's earlier
    president's post ended. People, accounts and posts keep their history."""

    def __init__(self, report: ImportReport, on: datetime.date, progress: Progress) -> None:
        self.report, self.on, self.progress = report, on, progress

    def write(self, rows: list[CallerRow]) -> None:
        total = len(rows)
        # The accounts the file's numbers name (username = mobile): read once, for
        # finding each row's person and then its account (no account is written between).
        named_accounts: dict[str, tuple[int, int | None]] = {}
        for chunk in _chunks([row.mobile for row in rows]):
            for pk, username, person_id in User.objects.filter(username__in=chunk).values_list(
                "pk", "username", "person_id"
            ):
                named_accounts[username] = (pk, person_id)
        people = self._people(rows, named_accounts)
        self.progress("writing", total // 3, total)
        self._accounts(rows, people, named_accounts)
        self.progress("writing", 2 * total // 3, total)
        self._posts(rows, people)

    def _people(self, rows: list[CallerRow], named_accounts: dict[str, tuple[int, int | None]]) -> list[int]:
        """The person of each row (their id), created or updated as the file says."""
        mobiles = [row.mobile for row in rows]
        account_person = {username: person_id for username, (_pk, person_id) in named_accounts.items()}
        named: dict[tuple[str, str], int] = {}  # (mobile, name) -> the person found the way a row looks for one
        known: dict[int, tuple[str, str]] = {}  # person -> (name, mobile) as stored
        pk: int | None
        sheet_people = Q(user__isnull=False) | Q(posts__role__in=Post.ACCOUNT_ROLES)
        for chunk in _chunks(mobiles):
            found = (
                Person.objects.annotate(mobile_text=_as_text("mobile"))
                .filter(mobile_text__in=chunk)
                .filter(sheet_people)
                .values_list("pk", "name", "mobile_text")
                .distinct()
                .order_by("pk")
            )
            for pk, name, mobile in found:
                named.setdefault((str(mobile), name), pk)
                known[pk] = (name, str(mobile))
        linked = [pk for pk in account_person.values() if pk is not None and pk not in known]
        for chunk in _chunks(linked):
            for pk, name, mobile in Person.objects.filter(pk__in=chunk).values_list("pk", "name", _as_text("mobile")):
                known[pk] = (name, str(mobile or ""))

        chosen: list[int | Person] = []
        claimed: set[int] = set()
        changed: dict[int, CallerRow] = {}
        new: list[Person] = []
        for row in rows:
            pk = account_person.get(row.mobile)
            if pk is None:
                pk = named.get((row.mobile, row.name))
                if pk in claimed:  # an earlier row took this person (and maybe their number)
                    pk = None
            if pk is None:
                person = Person(name=row.name, mobile=row.mobile)
                new.append(person)
                chosen.append(person)
                self.report.count("people", "created")
                continue
            claimed.add(pk)
            chosen.append(pk)
            name, mobile = known[pk]
            if (clean_cell(name), mobile) != (row.name, row.mobile) or pk in changed:
                if pk not in changed:
                    self.report.count("people", "changed")
                changed[pk] = row
            else:
                self.report.count("people", "unchanged")
        if changed:
            now = timezone.now()
            people: list[Person] = []
            for chunk in _chunks(list(changed)):
                people.extend(Person.objects.filter(pk__in=chunk))
            for person in people:
                row = changed[person.pk]
                if str(person.mobile) != row.mobile:
                    # Where this person's sign-in links will go from now on.
                    audit.warning("callers file changed the mobile of person %s from %s to %s", person.pk,
                                  person.mobile, row.mobile)  # fmt: skip
                person.name, person.mobile, person.updated_at = row.name, row.mobile, now
            bulk_update_with_history(people, Person, ["name", "mobile", "updated_at"], batch_size=BATCH)
        if new:
            bulk_create_with_history(new, Person, batch_size=BATCH)
        return [item.pk if isinstance(item, Person) else item for item in chosen]

    def _accounts(
        self, rows: list[CallerRow], people: list[int], by_username: dict[str, tuple[int, int | None]]
    ) -> None:
        """Each row's account: the one named by its mobile, else its person's, else a new one."""
        of_person: dict[int, int] = {}
        for chunk in _chunks(list(set(people))):
            of_person.update(User.objects.filter(person_id__in=chunk).values_list("person_id", "pk"))
        relink: dict[int, int] = {}
        new: list[User] = []
        for row, person in zip(rows, people, strict=True):
            user_id, linked_to = by_username.get(row.mobile) or (of_person.get(person), person)
            if user_id is None:
                user = User(username=row.mobile, first_name=row.name[:150], email=row.email, person_id=person)
                user.set_unusable_password()
                new.append(user)
                of_person[person] = -1  # taken: a later row of the same person links, as one by one would
                self.report.count("accounts", "created")
            elif linked_to != person:
                # An existing account keeps its email and active flag (the checks
                # warned where the file differs); only its link to the person is made.
                relink[user_id] = person
                self.report.count("accounts", "changed")
            else:
                self.report.count("accounts", "unchanged")
        if relink:
            users: list[User] = []
            for chunk in _chunks(list(relink)):
                users.extend(User.objects.filter(pk__in=chunk))
            for user in users:
                user.person_id = relink[user.pk]
            bulk_update_with_history(users, User, ["person"], batch_size=BATCH)
        if new:
            bulk_create_with_history(new, User, batch_size=BATCH)

    def _posts(self, rows: list[CallerRow], people: list[int]) -> None:
        held: dict[int, list[tuple[int, str, int | None, int | None, int | None]]] = defaultdict(list)
        for chunk in _chunks(list(set(people))):
            for pk, person_id, role, district_id, region_id, state_id in (
                Post.objects.current()
                .with_accounts()
                .filter(person_id__in=chunk)
                .values_list("pk", "person_id", "role", "district_id", "region_id", "state_id")
                .order_by("pk")
            ):
                held[person_id].append((pk, role, district_id, region_id, state_id))
        presidents: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)  # (role, unit) -> posts
        for pk, person_id, role, district_id, region_id in (
            Post.objects.current()
            .filter(role__in=list(ONE_PER_UNIT))
            .values_list("pk", "person_id", "role", "district_id", "region_id")
        ):
            presidents[(role, district_id or region_id)].append((pk, person_id))
        ended: set[int] = set()
        pending: dict[int, list[_Pending]] = defaultdict(list)  # posts started by earlier rows, by person
        created: list[_Pending] = []

        def end(pk: int) -> None:
            if pk not in ended:
                ended.add(pk)
                self.report.count("caller posts", "ended")

        for row, person in zip(rows, people, strict=True):
            unit = _unit_field(row.role)
            index = {"district_id": 2, "region_id": 3, "state_id": 4}[unit]
            current: dict[int | None, int | _Pending] = {}
            for post in held[person]:
                if post[0] in ended:
                    continue
                if post[1] == row.role:
                    current[cast(int | None, post[index])] = post[0]  # the unit's id
                else:
                    end(post[0])
            for item in pending[person]:
                if item.post.end_date is not None:
                    continue
                if item.post.role == row.role:
                    current[getattr(item.post, unit)] = item
                else:
                    item.post.end_date = self.on
                    self.report.count("caller posts", "ended")
            for key, kept in current.items():
                if key not in row.units:
                    if isinstance(kept, _Pending):
                        kept.post.end_date = self.on
                        self.report.count("caller posts", "ended")
                    else:
                        end(kept)
            for key in row.units - set(current):
                if row.role in ONE_PER_UNIT and key is not None:
                    for pk, holder in presidents.get((row.role, key), []):
                        if holder != person:
                            end(pk)
                item = _Pending(Post(person_id=person, role=row.role, start_date=self.on,
                                     **_post_units(row, unit, key)))  # fmt: skip
                pending[person].append(item)
                created.append(item)
                self.report.count("caller posts", "created")
            self.report.count("caller posts", "unchanged", len(row.units & set(current)))
        if ended:
            ending: list[Post] = []
            for chunk in _chunks(sorted(ended)):
                ending.extend(Post.objects.filter(pk__in=chunk))
            for ended_post in ending:
                ended_post.end_date = self.on
            bulk_update_with_history(ending, Post, ["end_date"], batch_size=BATCH)
        if created:
            bulk_create_with_history([item.post for item in created], Post, batch_size=BATCH)


def _unit_field(role: str) -> str:
    if role in DISTRICT_ROLES:
        return "district_id"
    return "region_id" if role in REGION_ROLES else "state_id"


def _post_units(row: CallerRow, unit: str, key: int | None) -> dict[str, int | None]:
    if row.role == Post.Role.STATE_OFFICE_BEARER:
        return {"state_id": row.state_id, "region_id": key}
    return {unit: key}
