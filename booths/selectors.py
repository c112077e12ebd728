"""Reads of the organisation map that other apps and the admin rely on."""

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from .models import Booth, District, Person, Post, User

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _CurrentPresident(TypedDict):
        current_president_posts: list[Post]

    # A booth as booths_with_current_president() (or BoothAdmin) reads it.
    BoothWithPresident = WithAnnotations[Booth, _CurrentPresident]


def booths_with_current_president() -> "QuerySet[BoothWithPresident]":
    """Booths with their map ancestors and current president, for lists and exports."""
    president_posts = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT).select_related("person")
    return Booth.objects.select_related("assembly_seat", "mandal__district__region", "shakti_kendra").prefetch_related(
        Prefetch("posts", queryset=president_posts, to_attr="current_president_posts")
    )


def booth_current_president(*, booth: Booth) -> Person | None:
    """The booth's current president, or None when the booth is vacant."""
    cached = getattr(booth, "current_president_posts", None)
    if cached is not None:
        return cached[0].person if cached else None
    post = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT, booth=booth).select_related("person").first()
    return post.person if post else None


def caller_scopes(*, person_ids: Iterable[int] | None = None) -> dict[int, frozenset[int]]:
    """Map each caller (a person with a current caller post) to the ids of the
    districts whose booths they call.

    A district in-charge calls in their district(s); a state office-bearer in
    the regions they were given, or in the whole state when given none.
    """
    return territories(person_ids=person_ids, roles=Post.CALLER_ROLES)


def territories(*, person_ids: Iterable[int] | None = None, roles: Iterable[str]) -> dict[int, frozenset[int]]:
    """Map each person holding a current post of `roles` to the ids of the
    districts that post covers: a district-level post its district, a region's
    post (a regional president, a state office-bearer given regions) the
    region's districts, a state-level post the whole state."""
    query = Post.objects.current().filter(role__in=list(roles))
    units = query.values_list("person_id", "state_id", "region_id", "district_id")
    if person_ids is not None:
        units = units.filter(person_id__in=list(person_ids))
    posts = list(units)
    if not posts:
        return {}
    region_ids = {region for _p, _s, region, district in posts if region and not district}
    state_ids = {state for _p, state, region, district in posts if state and not (region or district)}
    by_region: dict[int, set[int]] = defaultdict(set)
    by_state: dict[int, set[int]] = defaultdict(set)
    if region_ids or state_ids:
        wanted = District.objects.filter(Q(region_id__in=region_ids) | Q(region__state_id__in=state_ids))
        for district_id, region_id, state_id in wanted.values_list("id", "region_id", "region__state_id"):
            by_region[region_id].add(district_id)
            by_state[state_id].add(district_id)
    scopes: dict[int, set[int]] = defaultdict(set)
    for person_id, state_id, region_id, district_id in posts:
        if district_id is not None:
            scopes[person_id].add(district_id)
        elif region_id is not None:
            scopes[person_id] |= by_region[region_id]
        else:
            scopes[person_id] |= by_state[state_id]
    return {person_id: frozenset(districts) for person_id, districts in scopes.items()}


def caller_users() -> QuerySet[User]:
    """Active accounts whose person holds a current caller post."""
    caller_person_ids = Post.objects.current().callers().values("person_id")
    return User.objects.filter(is_active=True, person_id__in=caller_person_ids).select_related("person")
