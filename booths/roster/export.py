"""Exporting the roster and the callers in exactly their import formats, so a
district office can download its sheet, correct it and import it again (an
unchanged sheet imports as no change at all)."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from booths.models import Booth, Post, User
from booths.selectors import booths_with_current_president

from ..phones import mask_mobile
from ..progress import Progress, counted, no_progress
from .callers import CALLER_COLUMNS
from .files import Target, write_table
from .importer import ROSTER_COLUMNS


def _national(number: object) -> str:
    # Ten digits: Excel keeps them as they are, where "+91..." turns into 9.19877E+11.
    text = str(number or "")
    return text[3:] if text.startswith("+91") else text


def roster_rows(
    booths: QuerySet[Booth], *, masked: bool = False, progress: Progress = no_progress
) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows of the roster sheet for the active booths given (a `state`
    column only when they span several states); `masked` shows numbers as
    98••••3210 (for those who may not see them whole; such a sheet cannot be
    imported back). `progress` hears of the rows written."""
    phone = mask_mobile if masked else _national
    booths = booths.filter(is_active=True)
    several_states = booths.values("assembly_seat__state").distinct().count() > 1
    headers = ([*ROSTER_COLUMNS, "state"]) if several_states else list(ROSTER_COLUMNS)
    queryset = (
        booths_with_current_president()
        .filter(pk__in=booths.values("pk"))
        .select_related("assembly_seat__lok_sabha_seat", "assembly_seat__state")
        .order_by("assembly_seat__state__code", "assembly_seat__number", "number")
    )

    def rows() -> Iterator[list[str]]:
        total = booths.count() if progress is not no_progress else 0
        for booth in counted(queryset.iterator(chunk_size=2_000), "exporting", progress, total, step=5_000):
            posts = booth.current_president_posts
            person = posts[0].person if posts else None
            seat, district = booth.assembly_seat, booth.mandal.district
            row = [
                district.region.name,
                district.name,
                booth.mandal.name,
                booth.shakti_kendra.name if booth.shakti_kendra else "",
                str(seat.lok_sabha_seat.number),
                seat.lok_sabha_seat.name,
                str(seat.number),
                seat.name,
                str(booth.number),
                booth.name,
                person.name if person else "",
                phone(person.mobile) if person else "",
                phone(person.alternate_mobile) if person else "",
            ]
            yield [*row, seat.state.code] if several_states else row

    return headers, rows()


def roster_export(
    *,
    booths: QuerySet[Booth],
    target: Target,
    xlsx: bool,
    masked: bool = False,
    progress: Progress = no_progress,
) -> None:
    headers, rows = roster_rows(booths, masked=masked, progress=progress)
    write_table(target, headers, rows, xlsx=xlsx)


# One row per account: a person holding posts of several roles is written with the first of these.
_ROLE_ORDER = [
    Post.Role.STATE_OFFICE_BEARER,
    Post.Role.DISTRICT_INCHARGE,
    Post.Role.LEADERSHIP,
    Post.Role.REGIONAL_PRESIDENT,
    Post.Role.DISTRICT_PRESIDENT,
]


def caller_rows(
    users: QuerySet[User], *, masked: bool = False, progress: Progress = no_progress
) -> Iterator[list[str]]:
    """One row per account of the people sheet: the posts that make them call or
    see dashboards. `progress` hears of the accounts gone through."""
    phone = mask_mobile if masked else _national
    users = users.filter(person__isnull=False).select_related("person").order_by("person__name", "pk")
    posts: dict[int | None, list[Post]] = defaultdict(list)
    for post in (
        Post.objects.current()
        .with_accounts()
        .filter(person_id__in=users.values("person_id"))
        .select_related("district", "region")
        .order_by("pk")
    ):
        posts[post.person_id].append(post)
    for user in counted(users, "exporting", progress, len(users), step=2_000):
        held = posts.get(user.person_id)
        if not held:
            continue
        role = next(role for role in _ROLE_ORDER if any(post.role == role for post in held))
        mine = [post for post in held if post.role == role]
        districts = ";".join(post.district.name for post in mine if post.district)
        regions = ";".join(post.region.name for post in mine if post.region)
        person = user.person
        assert person is not None  # filtered above
        yield [person.name, phone(person.mobile), role, districts, regions, user.email]


def callers_export(
    *,
    users: QuerySet[User],
    target: Target,
    xlsx: bool,
    masked: bool = False,
    progress: Progress = no_progress,
) -> None:
    write_table(target, CALLER_COLUMNS, caller_rows(users, masked=masked, progress=progress), xlsx=xlsx)
