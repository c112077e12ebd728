"""Who may see what: one function per resource, used by every page and export.

A person's territory follows from their current posts (`booths.selectors.territories`):
a district in-charge or district president their districts, a regional president
or a state office-bearer given regions those regions, leadership or a state
office-bearer without regions the whole state. Staff see everything only with the
`campaigns.view_dashboards` permission, never for being staff alone. Anything
asked for outside one's territory is a 404, as if it did not exist.
"""

import time
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404

from booths.models import Booth, District, LokSabhaSeat, Mandal, Post, Region, State, User
from booths.selectors import territories

from .models import CallAssignment, Campaign, FollowUp, RosterReport, TiffinMeeting

VIEW_ALL_DASHBOARDS = "campaigns.view_dashboards"
_CACHE = "_dashboard_scope"

_QS = TypeVar("_QS", bound=QuerySet)


@dataclass(frozen=True)
class Scope:
    """The districts a user may see (None: all of them)."""

    district_ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.district_ids is None

    def has_district(self, district_id: int | None) -> bool:
        return self.district_ids is None or district_id in self.district_ids

    def filter(self, queryset: _QS, path: str = "district_id") -> _QS:
        """The rows of `queryset` whose district (reached through `path`) is in scope."""
        if self.district_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": sorted(self.district_ids)})


def dashboard_scope_for(user: User | AnonymousUser) -> Scope | None:
    """The dashboards' scope of a user, or None when they may see no dashboard.
    Computed once a request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, _CACHE):
        return getattr(user, _CACHE)
    scope: Scope | None = None
    if (user.is_staff or user.is_superuser) and user.has_perm(VIEW_ALL_DASHBOARDS):
        scope = Scope(None)
    elif user.person_id is not None:
        districts = territories(person_ids=[user.person_id], roles=Post.ACCOUNT_ROLES).get(user.person_id)
        scope = Scope(districts) if districts else None
    setattr(user, _CACHE, scope)
    return scope


def dashboard_scope_get(user: User) -> Scope:
    """The user's scope, or 404 for a user without dashboards."""
    scope = dashboard_scope_for(user)
    if scope is None:
        raise Http404
    return scope


UNIT_MODELS: dict[str, type[Model]] = {
    "state": State,
    "region": Region,
    "district": District,
    "mandal": Mandal,
    "booth": Booth,
}
# From each unit to its district (or, above a district, to the districts under it).
_DISTRICT_PATH = {
    "state": "regions__districts",
    "region": "districts",
    "district": "",
    "mandal": "district",
    "booth": "mandal__district",
}


def dashboard_unit_get(*, scope: Scope, level: str, pk: int) -> Model:
    """A unit of the map the scope reaches (a region or state reaches it through
    any of its districts), with what the dashboards show of its ancestors; 404
    outside the scope."""
    model = UNIT_MODELS[level]
    units = model._default_manager.filter(pk=pk)
    if scope.district_ids is not None:
        path = _DISTRICT_PATH[level]
        units = units.filter(**{f"{path}__in" if path else "pk__in": sorted(scope.district_ids)})
    related = {
        "region": ["state"],
        "district": ["region__state"],
        "mandal": ["district__region__state"],
        "booth": ["mandal__district__region__state", "assembly_seat"],
    }.get(level, [])
    unit = units.select_related(*related).distinct().first()
    if unit is None:
        raise Http404
    return unit


def dashboard_seat_get(*, scope: Scope, pk: int) -> LokSabhaSeat:
    """A Lok Sabha seat with a booth in the scope (seats cross districts: one booth
    is enough), with its state; 404 otherwise."""
    seats = LokSabhaSeat.objects.filter(pk=pk).select_related("state")
    if scope.district_ids is not None:
        in_scope = Booth.objects.filter(
            assembly_seat__lok_sabha_seat=OuterRef("pk"), mandal__district_id__in=sorted(scope.district_ids)
        )
        seats = seats.filter(Exists(in_scope))
    seat = seats.first()
    if seat is None:
        raise Http404
    return seat


def follow_up_districts_for(*, user: User) -> set[int] | None:
    """The districts whose follow-ups and roster corrections a user may see and
    work on on the callers' pages: their territory, by their posts, staff or not
    (staff work on every district's in the admin, where its permissions apply,
    never through a page a sign-in link opens). None would mean every district."""
    if not user.is_authenticated or user.person_id is None:
        return set()
    scope = dashboard_scope_for(user)
    return set(scope.district_ids or ()) if scope else set()


def assignment_get_for_caller(*, user: User, pk: int) -> CallAssignment:
    """The caller's own assignment, or 404."""
    if not user.is_authenticated or user.person_id is None:
        raise Http404
    assignment = (
        CallAssignment.objects.select_related(
            "president", "post__booth__assembly_seat", "post__booth__mandal__district", "log"
        )
        .filter(pk=pk, caller_id=user.person_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def follow_up_get_for_user(*, user: User, pk: int) -> FollowUp:
    districts = follow_up_districts_for(user=user)
    follow_ups = FollowUp.objects.select_related(
        "booth__assembly_seat", "booth__mandal", "district", "assigned_to", "log__assignment__president"
    )
    if districts is not None:
        follow_ups = follow_ups.filter(district_id__in=districts)
    follow_up = follow_ups.filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


def roster_report_get_for_user(*, user: User, pk: int) -> RosterReport:
    """An open roster report of the user's districts, or 404."""
    districts = follow_up_districts_for(user=user)
    reports = RosterReport.objects.filter(dismissed_at=None)
    if districts is not None:
        reports = reports.filter(district_id__in=districts)
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def campaign_district_ids(campaign: Campaign) -> frozenset[int] | None:
    """The districts a campaign runs in (None: every district)."""
    # .all(): a list of campaigns prefetches its districts and regions (`campaigns_for_scope`).
    districts = {district.pk for district in campaign.districts.all()}
    if districts:
        return frozenset(districts)
    regions = [region.pk for region in campaign.regions.all()]
    if regions:
        return frozenset(District.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    if campaign.state_id:
        return frozenset(District.objects.filter(region__state_id=campaign.state_id).values_list("pk", flat=True))
    return None


def campaign_scope(campaign: Campaign, scope: Scope) -> Scope:
    """The districts of a campaign a viewer may see."""
    districts = campaign_district_ids(campaign)
    if districts is None:
        return scope
    if scope.district_ids is None:
        return Scope(districts)
    return Scope(frozenset(districts & scope.district_ids))


REPORTING_ROLES = (Post.Role.DISTRICT_INCHARGE, Post.Role.DISTRICT_PRESIDENT)


def campaign_get_for_viewer(*, user: User, pk: int) -> tuple[Campaign, Scope]:
    """A campaign that runs somewhere in the viewer's territory, and the part of
    it they may see; 404 otherwise."""
    return campaign_get_for_scope(scope=dashboard_scope_get(user), pk=pk)


def campaign_get_for_scope(*, scope: Scope, pk: int) -> tuple[Campaign, Scope]:
    """A campaign that runs somewhere in `scope`, and the part of it in `scope`; 404 otherwise."""
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise Http404
    seen = campaign_scope(campaign, scope)
    if seen.district_ids == frozenset():
        raise Http404
    return campaign, seen


def report_districts_for(*, user: User) -> frozenset[int]:
    """The districts whose campaign progress a user may report: those of their
    current district in-charge and district president posts (staff report in the
    admin, where its permissions apply)."""
    if not user.is_authenticated or user.person_id is None:
        return frozenset()
    return territories(person_ids=[user.person_id], roles=REPORTING_ROLES).get(user.person_id, frozenset())


def campaign_get_for_reporter(*, user: User, pk: int) -> tuple[Campaign, list[District]]:
    """A campaign a user may report on, and the districts they report for; 404 otherwise."""
    mine = report_districts_for(user=user)
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None or not mine:
        raise Http404
    running = campaign_district_ids(campaign)
    districts = mine if running is None else mine & running
    if not districts:
        raise Http404
    return campaign, list(District.objects.filter(pk__in=sorted(districts)).order_by("name"))


def tiffin_district_get_for_user(*, user: User, pk: int) -> District:
    """A district whose tiffin meetings the user may plan and record: any in their
    territory (its in-charges, its president, those above them); else 404."""
    scope = dashboard_scope_get(user)
    district = District.objects.select_related("region").filter(pk=pk).first()
    if district is None or not scope.has_district(district.pk):
        raise Http404
    return district


def tiffin_meeting_get_for_user(*, user: User, pk: int) -> TiffinMeeting:
    """A tiffin meeting of the user's territory, or 404."""
    scope = dashboard_scope_get(user)
    meeting = TiffinMeeting.objects.select_related("mandal", "district").filter(pk=pk).first()
    if meeting is None or not scope.has_district(meeting.district_id):
        raise Http404
    return meeting


MENU_SECONDS = 600  # how long a session remembers which tabs its user gets


def user_menu(*, user: User, session: SessionBase | None = None) -> dict[str, bool]:
    """Which parts of the app a user has: their calls (a current caller post) and
    dashboards (a post with a territory, or staff with the permission). Kept in
    the session for a few minutes: every page shows the tabs, and the caller's
    pages are the ones that must stay fast. Access itself is always checked live."""
    if not user.is_authenticated:
        return {"calls": False, "dashboards": False, "reports": False}
    cached = session.get("menu") if session is not None else None
    if cached and cached.get("user") == user.pk and cached.get("until", 0) > time.time() and "reports" in cached:
        return {"calls": cached["calls"], "dashboards": cached["dashboards"], "reports": cached["reports"]}
    roles = set()
    if user.person_id is not None:
        posts = Post.objects.current().with_accounts().filter(person_id=user.person_id)
        roles = set(posts.values_list("role", flat=True))
    menu = {
        "calls": bool(roles & set(Post.CALLER_ROLES)),
        "dashboards": bool(roles) or ((user.is_staff or user.is_superuser) and user.has_perm(VIEW_ALL_DASHBOARDS)),
        "reports": bool(roles & set(REPORTING_ROLES)),
    }
    if session is not None:
        session["menu"] = {**menu, "user": user.pk, "until": time.time() + MENU_SECONDS}
    return menu


def home_for(*, user: User, session: SessionBase | None = None) -> str:
    """Where a user lands after signing in: their calls, else the dashboards."""
    menu = user_menu(user=user, session=session)
    if menu["calls"] or (user.person_id is not None and not menu["dashboards"]):
        return "today"
    return "dashboard" if menu["dashboards"] else "home"
