"""Units' campaign reports from a spreadsheet: every row checked, nothing written
if any row is bad, a row already imported left as it is."""

import re
from typing import IO

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from booths.models import Booth, District, Mandal, User
from booths.roster.files import Cells, FileError, name_key, read_table, sheet_date
from booths.roster.problems import ImportReport, Problem

from ..access import campaign_district_ids
from ..models import Campaign, CampaignReport
from .services import campaign_report_record, report_check

COLUMNS = ["campaign", "district", "mandal", "reported_on", "booths_covered", "households_contacted"]
REQUIRED = [column for column in COLUMNS if column != "mandal"]


def parse_count(text: str) -> int | None:
    """12, 1,234, 12.0 (a spreadsheet's number) and १२ (Devanagari digits) read as counts."""
    text = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    return None


class _Lookup:
    """Campaigns, districts and mandals by name, loaded once for the file."""

    def __init__(self) -> None:
        self.campaigns: dict[str, list[Campaign]] = {}
        for campaign in Campaign.objects.prefetch_related("districts", "regions"):
            self.campaigns.setdefault(name_key(campaign.name), []).append(campaign)
            self.campaigns.setdefault(str(campaign.pk), []).append(campaign)
        self.districts: dict[str, list[District]] = {}
        for district in District.objects.all():
            self.districts.setdefault(name_key(district.name), []).append(district)
        self.mandals: dict[tuple[int, str], Mandal] = {
            (mandal.district_id, name_key(mandal.name)): mandal for mandal in Mandal.objects.all()
        }
        self.scopes: dict[int, frozenset[int] | None] = {}
        # Active booths by mandal and by district, counted once for every row's check.
        self.booths: dict[tuple[str, int], int] = {}
        active = Booth.objects.filter(is_active=True)
        for mandal_id, district_id, n in active.values_list("mandal_id", "mandal__district_id").annotate(n=Count("pk")):
            self.booths[("mandal", mandal_id)] = n
            self.booths[("district", district_id)] = self.booths.get(("district", district_id), 0) + n
        self.reports: dict[int, dict[tuple, CampaignReport]] = {}

    def existing(self, row: dict) -> CampaignReport | None:
        """The report already recorded for the row's unit and day (one query a campaign)."""
        campaign = row["campaign"]
        if campaign.pk not in self.reports:
            self.reports[campaign.pk] = {
                (report.mandal_id or ("district", report.district_id), report.reported_on): report
                for report in CampaignReport.objects.filter(campaign=campaign)
            }
        unit = row["mandal"].pk if row["mandal"] is not None else ("district", row["district"].pk)
        return self.reports[campaign.pk].get((unit, row["reported_on"]))

    def scope(self, campaign: Campaign) -> frozenset[int] | None:
        if campaign.pk not in self.scopes:
            self.scopes[campaign.pk] = campaign_district_ids(campaign)
        return self.scopes[campaign.pk]


def reports_import(
    *, source: IO[bytes], filename: str, dry_run: bool = False, user: User | None = None
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(source, filename)
    except FileError as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return report
    missing = [column for column in REQUIRED if column not in table.headers]
    if missing:
        report.problems.append(
            Problem(
                0,
                "",
                _("The file has no column %(columns)s. Its header row must have: %(all)s.")
                % {"columns": ", ".join(missing), "all": ",".join(COLUMNS)},
            )
        )
        return report
    lookup = _Lookup()
    good: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        report.rows += 1
        row = _check_row(number, cells, lookup, report)
        if row is None:
            continue
        unit = (row["campaign"].pk, row["district"].pk, row["mandal"].pk if row["mandal"] else None, row["reported_on"])
        if unit in seen:
            report.problems.append(
                Problem(number, "reported_on", _("The same unit and day as row %(row)s.") % {"row": seen[unit]})
            )
            continue
        seen[unit] = number
        good.append(row)
    if report.errors:
        return report
    with transaction.atomic():
        for row in good:
            before = lookup.existing(row)
            if before is not None and (before.booths_covered, before.households_contacted) == (
                row["booths_covered"],
                row["households_contacted"],
            ):
                report.count(_("reports"), "unchanged")
                continue
            if not dry_run:
                campaign_report_record(**row, user=user)
            report.count(_("reports"), "created" if before is None else "changed")
        report.rows_imported = len(good)
        report.written = not dry_run
        if dry_run:
            transaction.set_rollback(True)
    return report


def _check_row(number: int, cells: Cells, lookup: _Lookup, report: ImportReport) -> dict | None:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))

    campaign = district = mandal = None
    name = cells.get("campaign", "")
    found = lookup.campaigns.get(name_key(name), []) if name else []
    if not name:
        problem("campaign", _("The campaign is missing."))
    elif not found:
        problem("campaign", _("No campaign is called “%(name)s”.") % {"name": name})
    elif len(found) > 1:
        problem("campaign", _("Several campaigns are called “%(name)s”: write its number instead.") % {"name": name})
    else:
        campaign = found[0]
    name = cells.get("district", "")
    districts = lookup.districts.get(name_key(name), []) if name else []
    if campaign is not None and len(districts) > 1:
        running = lookup.scope(campaign)
        districts = [d for d in districts if running is None or d.pk in running]
    if not name:
        problem("district", _("The district is missing."))
    elif not districts:
        problem("district", _("No district is called “%(name)s”.") % {"name": name})
    elif len(districts) > 1:
        problem("district", _("Several districts are called “%(name)s”.") % {"name": name})
    else:
        district = districts[0]
        running = lookup.scope(campaign) if campaign is not None else None
        if campaign is not None and running is not None and district.pk not in running:
            problem("district", _("The campaign does not run in %(district)s.") % {"district": district.name})
    name = cells.get("mandal", "")
    if name and district is not None:
        mandal = lookup.mandals.get((district.pk, name_key(name)))
        if mandal is None:
            problem("mandal", _("%(district)s has no mandal “%(name)s”.") % {"district": district.name, "name": name})
    text = cells.get("reported_on", "")
    day = sheet_date(text) if text else None
    if not text:
        problem("reported_on", _("The date is missing."))
    elif day is None:
        problem("reported_on", _("“%(value)s” is not a date: write YYYY-MM-DD or DD-MM-YYYY.") % {"value": text})
    counts = {}
    for column in ("booths_covered", "households_contacted"):
        text = cells.get(column, "")
        counts[column] = parse_count(text) if text else None
        if counts[column] is None:
            problem(column, _("“%(value)s” is not a whole number.") % {"value": text} if text else _("It is missing."))
    if not problems and campaign is not None and district is not None:
        booths = lookup.booths.get(("mandal", mandal.pk) if mandal is not None else ("district", district.pk), 0)
        assert day is not None and counts["booths_covered"] is not None  # else a problem was noted above
        errors = report_check(campaign=campaign, district=district, mandal=mandal, reported_on=day,
                              booths_covered=counts["booths_covered"], booths=booths)  # fmt: skip
        problems += [Problem(number, column, message) for column, message in errors.items()]
    report.problems.extend(problems)
    if problems:
        return None
    return {"campaign": campaign, "district": district, "mandal": mandal, "reported_on": day, **counts,
            "booths": booths}  # fmt: skip
