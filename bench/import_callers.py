"""Importing a national roll-out's people sheet (callers and viewers) into PostgreSQL.

    .venv/bin/python bench/import_callers.py [--rows 20000] [--baseline-rows 1000]

Makes a roster of 75 districts in 18 regions (one booth each: the callers file
only names districts and regions) and a synthetic people sheet: Hindi names,
unique mobiles written the ways offices write them, mostly district in-charges
with one to three districts, state office-bearers with none to two regions, a
president for each district and region, some leadership. Then, each in a child
process with its peak memory: import it into a database holding only the
roster, import it again unchanged, import a copy in which 5 % of the people
changed (a new name, a new number or other districts), a dry run, and
`export_callers` of the result. Baseline in the same run: the naive way (one
get-or-create a person, account and post, row by row, as the import did before
it went set-wise) on the first rows of the file, extrapolated.
"""

import argparse
import csv
import datetime
import random
import re
import sys
import tempfile
from pathlib import Path

import phonenumbers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, manage, scratch_database  # noqa: E402

REGIONS = 18
DISTRICTS = 75
FIRST = ["राम", "सीता", "मोहन", "गीता", "सुरेश", "अनीता", "राजेश", "पूजा", "विनोद", "कमला", "अजय", "सुनीता",
         "दिनेश", "रेखा", "मुकेश", "ममता", "संजय", "किरण", "अशोक", "नीलम"]  # fmt: skip
LAST = ["शर्मा", "वर्मा", "यादव", "सिंह", "गुप्ता", "मौर्य", "पाल", "निषाद", "कुशवाहा", "तिवारी", "पांडेय",
        "चौहान", "राजभर", "सोनकर", "प्रजापति"]  # fmt: skip

NAIVE = """
import csv, time
from django.db.models import Q
from booths.models import District, Person, Post, Region, State, User
from booths.phones import parse_indian_mobile
state = State.objects.get(code="UP")
started = time.perf_counter()
with open({path!r}, encoding="utf-8-sig") as f:
    for i, row in enumerate(csv.DictReader(f)):
        if i == {rows}:
            break
        mobile = parse_indian_mobile(row["phone"]).as_e164
        user = User.objects.filter(username=mobile).select_related("person").first()
        person = user.person if user else None
        if person is None:
            person = Person.objects.filter(mobile=mobile, name=row["name"]).first() or Person.objects.create(
                name=row["name"], mobile=mobile)
        if user is None:
            user = User(username=mobile, first_name=row["name"][:150], email=row["email"], person=person)
            user.set_unusable_password()
            user.save()
        names = [n for n in row["districts"].split(";") if n] if "district" in row["role"] else []
        names = names or [n for n in row["regions"].split(";") if n]
        for name in names or [None]:
            units = {{}}
            if "district" in row["role"]:
                units["district"] = District.objects.get(name=name)
            elif row["role"] == "leadership":
                units["state"] = state
            else:
                units["region"] = Region.objects.get(name=name) if name else None
                if row["role"] == "state_office_bearer":
                    units["state"] = state
            if row["role"] in ("district_president", "regional_president"):
                Post.objects.filter(end_date=None, role=row["role"], **units).exclude(person=person).update(
                    end_date=datetime.date.today())
            Post.objects.get_or_create(person=person, role=row["role"], end_date=None, **units)
print(f"NAIVE {{time.perf_counter() - started:.3f}}")
""".replace("import csv, time", "import csv, datetime, time")


def roster(path: Path) -> list[tuple[str, list[str]]]:
    """A roster sheet of one booth a district; returns the regions and their districts."""
    regions = [(f"क्षेत्र {r + 1}", [f"ज़िला {r + 1}-{d + 1}" for d in range(DISTRICTS * (r + 1) // REGIONS -
                DISTRICTS * r // REGIONS)]) for r in range(REGIONS)]  # fmt: skip
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["region", "district", "mandal", "shakti_kendra", "lok_sabha_no", "lok_sabha_name",
                         "assembly_no", "assembly_name", "booth_no", "booth_name", "president_name",
                         "president_phone", "president_alt_phone"])  # fmt: skip
        n = 0
        for region, districts in regions:
            for district in districts:
                n += 1
                writer.writerow([region, district, f"मंडल {n}", "", "1", "लोकसभा 1", str(n), f"विधानसभा {n}", "1",
                                 f"बूथ {n}", "", "", ""])  # fmt: skip
    return regions


_IN = phonenumbers.PhoneMetadata.metadata_for_region("IN")
_MOBILE = re.compile(f"(?:{_IN.mobile.national_number_pattern})")
_FIXED = re.compile(f"(?:{_IN.fixed_line.national_number_pattern})")


def mobile(rng: random.Random, taken: set[str]) -> str:
    """Ten digits that are an Indian mobile and nothing else, not handed out before."""
    while True:
        number = str(rng.randrange(6_000_000_000, 10_000_000_000))
        if number not in taken and _MOBILE.fullmatch(number) and not _FIXED.fullmatch(number):
            taken.add(number)
            return number


def written(number: str, rng: random.Random) -> str:
    """A number as offices write it: bare, with +91 or 0, spaced."""
    style = rng.random()
    if style < 0.6:
        return number
    if style < 0.75:
        return f"+91 {number[:5]} {number[5:]}"
    if style < 0.9:
        return f"0{number}"
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


def people(rows: int, regions: list[tuple[str, list[str]]], rng: random.Random) -> list[list[str]]:
    districts = [d for _r, ds in regions for d in ds]
    taken: set[str] = set()
    sheet = []
    for district in districts:
        sheet.append([f"{rng.choice(FIRST)} {rng.choice(LAST)}", written(mobile(rng, taken), rng),
                      "district_president", district, "", ""])  # fmt: skip
    for region, _ds in regions:
        sheet.append([f"{rng.choice(FIRST)} {rng.choice(LAST)}", written(mobile(rng, taken), rng),
                      "regional_president", "", region, ""])  # fmt: skip
    while len(sheet) < rows:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        number = mobile(rng, taken)
        email = f"caller{len(sheet)}@example.org" if rng.random() < 0.3 else ""
        kind = rng.random()
        if kind < 0.70:
            row = [name, written(number, rng), "district_incharge", ";".join(rng.sample(districts, rng.randint(1, 3))),
                   "", email]  # fmt: skip
        elif kind < 0.97:
            chosen = rng.sample([r for r, _ in regions], rng.randint(0, 2))
            row = [name, written(number, rng), "state_office_bearer", "", ";".join(chosen), email]
        else:
            row = [name, written(number, rng), "leadership", "", "", email]
        sheet.append(row)
    return sheet[:rows]


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "phone", "role", "districts", "regions", "email"])
        writer.writerows(rows)


def changed_copy(rows: list[list[str]], districts: list[str], share: float, rng: random.Random) -> tuple[list, int]:
    """`share` of the district in-charges and office-bearers get a new name, number or districts."""
    taken = {row[1] for row in rows}
    out, changed = [], 0
    for row in rows:
        row = list(row)
        if row[2] in ("district_incharge", "state_office_bearer") and rng.random() < share:
            what = rng.random()
            if what < 0.4:
                row[0] = f"{row[0]} (नया)"
            elif what < 0.7:
                row[1] = mobile(rng, {re.sub(r"\D", "", number)[-10:] for number in taken})
            elif row[2] == "district_incharge":
                row[3] = ";".join(rng.sample(districts, rng.randint(1, 3)))
            else:
                row[2], row[3], row[4] = "district_incharge", rng.choice(districts), ""
            changed += 1
        out.append(row)
    return out, changed


def run(label: str, url: str, *args: str) -> float:
    seconds, peak, output = manage(*args, url=url)
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith(PROGRESS_LINES)]
    print(f"  {label:<38} {seconds:6.1f} s  peak {peak:5} MiB  ({lines[0] if lines else ''})")
    return seconds


PROGRESS_LINES = ("reading the file:", "checking the rows:", "writing to the roster:", "exporting:")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000)
    args = parser.parse_args()
    print(f"callers import · {datetime.date.today()} · {machine()}")
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp(prefix="bench-callers-"))
    roster_sheet, sheet, changed_sheet = folder / "roster.csv", folder / "callers.csv", folder / "callers-5pc.csv"
    regions = roster(roster_sheet)
    rows = people(args.rows, regions, rng)
    write(sheet, rows)
    changed_rows, changed = changed_copy(rows, [d for _r, ds in regions for d in ds], 0.05, rng)
    write(changed_sheet, changed_rows)
    print(f"file: {len(rows):,} people, {sheet.stat().st_size / 2**20:.1f} MiB; changed copy: {changed:,} changed")

    with scratch_database("bench_callers_target") as url:
        manage("import_roster", str(roster_sheet), url=url)
        first = run("first import (roster only before)", url, "import_callers", str(sheet))
        run("the same file again (no changes)", url, "import_callers", str(sheet))
        run(f"{changed:,} people changed", url, "import_callers", str(changed_sheet))
        run("dry run of the first file", url, "import_callers", str(sheet), "--dry-run")
        run("export_callers", url, "export_callers", "--output", str(folder / "out.csv"))

    with scratch_database("bench_callers_naive") as url:
        manage("import_roster", str(roster_sheet), url=url)
        _s, _p, output = manage("shell", "-c", NAIVE.format(path=str(sheet), rows=args.baseline_rows), url=url)
        naive = float(output.split("NAIVE")[-1])
    estimate = naive / args.baseline_rows * len(rows)
    print(f"naive row-by-row: {args.baseline_rows:,} rows in {naive:.1f} s; {len(rows):,} rows ~ {estimate:.0f} s "
          f"({estimate / first:.0f}x the first import)")  # fmt: skip


if __name__ == "__main__":
    main()
