"""Importing a UP-scale roster file into PostgreSQL.

    .venv/bin/python bench/import_roster.py [--preset up] [--baseline-rows 2000]

Makes the file by seeding the preset into a scratch database and exporting
it with `export_roster` (a realistic sheet: Hindi names, shared phones, vacant
booths). Then, each in a child process with its peak memory: import it into an
empty database, import it again unchanged, and import a copy in which 5 % of
the presidents changed (new name and number). Baseline in the same run: the
naive way (get_or_create for every unit of every row, one save a president) on
the first rows of the file, extrapolated.
"""

import argparse
import csv
import datetime
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, manage, scratch_database  # noqa: E402

NAIVE = """
import csv, time
from booths.models import *
from booths.phones import parse_indian_mobile
state, _ = State.objects.get_or_create(code="UP", defaults={{"name": "उत्तर प्रदेश"}})
started = time.perf_counter()
with open({path!r}, encoding="utf-8-sig") as f:
    for i, row in enumerate(csv.DictReader(f)):
        if i == {rows}:
            break
        region, _ = Region.objects.get_or_create(state=state, name=row["region"])
        district, _ = District.objects.get_or_create(region=region, name=row["district"])
        mandal, _ = Mandal.objects.get_or_create(district=district, name=row["mandal"])
        ls, _ = LokSabhaSeat.objects.get_or_create(state=state, number=row["lok_sabha_no"],
                                                   defaults={{"name": row["lok_sabha_name"]}})
        seat, _ = AssemblySeat.objects.get_or_create(state=state, number=row["assembly_no"],
                                                     defaults={{"name": row["assembly_name"], "lok_sabha_seat": ls}})
        booth, _ = Booth.objects.update_or_create(assembly_seat=seat, number=row["booth_no"],
                                                  defaults={{"name": row["booth_name"], "mandal": mandal}})
        if row["president_name"]:
            mobile = parse_indian_mobile(row["president_phone"]).as_e164 if row["president_phone"] else ""
            person = Person.objects.create(name=row["president_name"], mobile=mobile)
            Post.objects.create(person=person, role="booth_president", booth=booth)
print(f"NAIVE {{time.perf_counter() - started:.3f}}")
"""


def changed_copy(source: Path, target: Path, share: float) -> int:
    """Copy the sheet with `share` of the presidents replaced by someone new."""
    rng = random.Random(5)
    changed = 0
    with (
        source.open(encoding="utf-8-sig", newline="") as src,
        target.open("w", encoding="utf-8-sig", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            if row["president_name"] and rng.random() < share:
                row["president_name"] = f"नए अध्यक्ष {changed}"
                row["president_phone"] = f"98{changed:08d}"
                row["president_alt_phone"] = ""
                changed += 1
            writer.writerow(row)
    return changed


def run(label: str, path: Path, url: str) -> None:
    seconds, peak, output = manage("import_roster", str(path), url=url)
    print(f"  {label:<34} {seconds:6.1f} s  peak {peak:5} MiB  ({output.splitlines()[0]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="up")
    parser.add_argument("--baseline-rows", type=int, default=2000)
    args = parser.parse_args()
    print(f"roster import · {datetime.date.today()} · {machine()}")
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    sheet = folder / "roster.csv"
    with scratch_database("bench_import_source") as url:
        manage("seed_demo", "--preset", args.preset, url=url)
        manage("export_roster", "--output", str(sheet), url=url)
    rows = sum(1 for _ in sheet.open(encoding="utf-8-sig")) - 1
    changed_sheet = folder / "roster-5pc-changed.csv"
    changed = changed_copy(sheet, changed_sheet, 0.05)
    print(f"file: {rows:,} booths, {sheet.stat().st_size / 2**20:.1f} MiB; changed copy: {changed:,} new presidents")

    with scratch_database("bench_import_target") as url:
        run("first import into an empty database", sheet, url)
        run("the same file again (no changes)", sheet, url)
        run(f"{changed:,} presidents changed", changed_sheet, url)
        full = manage("import_roster", str(sheet), "--dry-run", url=url)[0]
    print(f"  (a dry run of the whole file: {full:.1f} s)")

    with scratch_database("bench_import_naive") as url:
        _s, _p, output = manage("shell", "-c", NAIVE.format(path=str(sheet), rows=args.baseline_rows), url=url)
        naive = float(output.split("NAIVE")[-1])
    estimate = naive / args.baseline_rows * rows
    print(
        f"naive per-row import: {args.baseline_rows:,} rows in {naive:.1f} s; {rows:,} rows ~ {estimate / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
