"""Importing a UP-scale roster file into PostgreSQL.

    .venv/bin/python bench/import_roster.py [--preset up] [--baseline-rows 2000]

Makes the file by seeding the preset into a scratch database and exporting
it with `export_roster` (a realistic sheet: Hindi names, shared phones, vacant
booths). Then, each in a child process with its peak memory: import it into an
empty database, import it again unchanged, and import a copy in which 5 % of
the presidents changed (new name and number). Baseline in the same run: the
naive way (get_or_create for every unit of every row, one save a president) on
the first rows of the file, extrapolated; and a floor: the same file COPYed
into a staging table with its phones checked, checked across rows and upserted
set-wise in SQL, so the import's ratio to what any import must do shows.
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


# The floor: the same file read, its phones checked the same way, COPYed into a
# staging table, checked across rows and upserted set-wise in SQL (no messages,
# no history, no warnings: what any import of this file must at least do).
REFERENCE = """
import csv, io, time
from django.db import connection, transaction
from django.core.exceptions import ValidationError
from booths.phones import indian_mobile_e164
started = time.perf_counter()
text = io.StringIO()
bad = 0
def e164(value):
    global bad
    try:
        return indian_mobile_e164(value) if value else ""
    except ValidationError:
        bad += 1
        return ""
with open({path!r}, encoding="utf-8-sig", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    at = {{name: i for i, name in enumerate(header)}}
    for row in reader:
        cells = [row[at[c]] for c in ("region", "district", "mandal", "shakti_kendra", "lok_sabha_no",
                 "lok_sabha_name", "assembly_no", "assembly_name", "booth_no", "booth_name", "president_name")]
        cells += [e164(row[at["president_phone"]]), e164(row[at["president_alt_phone"]])]
        text.write("\\t".join(c.replace("\\\\", "\\\\\\\\").replace("\\t", " ") for c in cells) + "\\n")
text.seek(0)
with transaction.atomic(), connection.cursor() as c:
    c.execute("CREATE TEMP TABLE s (region text, district text, mandal text, kendra text, ls int, ls_name text, "
              "ac int, ac_name text, booth int, booth_name text, name text, mobile text, alternate text) "
              "ON COMMIT DROP")
    c.cursor.copy_expert("COPY s FROM STDIN", text)
    c.execute("ANALYZE s")
    c.execute("SELECT count(*) FROM (SELECT ac, booth FROM s GROUP BY 1, 2 HAVING count(*) > 1) d")
    c.execute("SELECT count(*) FROM (SELECT mandal FROM s GROUP BY 1 HAVING count(DISTINCT district) > 1) d")
    c.execute("SELECT count(*) FROM (SELECT ac FROM s GROUP BY 1 HAVING count(DISTINCT ac_name) > 1) d")
    c.execute("INSERT INTO booths_state (code, name) VALUES ('UP', 'उत्तर प्रदेश') ON CONFLICT DO NOTHING")
    c.execute("INSERT INTO booths_region (name, state_id) SELECT DISTINCT region, (SELECT id FROM booths_state) FROM s "
              "ON CONFLICT DO NOTHING")
    c.execute("INSERT INTO booths_district (name, administrative_district, region_id) SELECT DISTINCT s.district, '', "
              "r.id FROM s JOIN booths_region r ON r.name = s.region ON CONFLICT DO NOTHING")
    c.execute("CREATE TEMP VIEW units AS SELECT s.*, m.id AS mandal_id FROM s "
              "JOIN booths_region r ON r.name = s.region "
              "JOIN booths_district d ON d.region_id = r.id AND d.name = s.district "
              "LEFT JOIN booths_mandal m ON m.district_id = d.id AND m.name = s.mandal")
    c.execute("INSERT INTO booths_mandal (name, district_id) SELECT DISTINCT s.mandal, d.id FROM s "
              "JOIN booths_region r ON r.name = s.region JOIN booths_district d ON d.region_id = r.id "
              "AND d.name = s.district ON CONFLICT DO NOTHING")
    c.execute("INSERT INTO booths_shaktikendra (name, mandal_id) SELECT DISTINCT kendra, mandal_id FROM units "
              "WHERE kendra <> '' ON CONFLICT DO NOTHING")
    c.execute("INSERT INTO booths_loksabhaseat (number, name, state_id) SELECT DISTINCT ls, ls_name, "
              "(SELECT id FROM booths_state) FROM s ON CONFLICT DO NOTHING")
    c.execute("INSERT INTO booths_assemblyseat (number, name, lok_sabha_seat_id, state_id) SELECT DISTINCT s.ac, "
              "s.ac_name, l.id, l.state_id FROM s JOIN booths_loksabhaseat l ON l.number = s.ls ON CONFLICT DO NOTHING")
    c.execute("INSERT INTO booths_booth (number, name, is_active, assembly_seat_id, mandal_id, shakti_kendra_id) "
              "SELECT u.booth, u.booth_name, true, a.id, u.mandal_id, k.id FROM units u "
              "JOIN booths_assemblyseat a ON a.number = u.ac LEFT JOIN booths_shaktikendra k "
              "ON k.mandal_id = u.mandal_id AND k.name = u.kendra "
              "ON CONFLICT (assembly_seat_id, number) DO UPDATE SET name = excluded.name")
    c.execute("ALTER TABLE s ADD person_id bigint")
    c.execute("UPDATE s SET person_id = nextval(pg_get_serial_sequence('booths_person', 'id')) WHERE name <> ''")
    c.execute("INSERT INTO booths_person (id, name, mobile, alternate_mobile, do_not_call, do_not_call_reason, notes, "
              "created_at, updated_at) SELECT person_id, name, mobile, alternate, false, '', '', now(), now() FROM s "
              "WHERE person_id IS NOT NULL")
    c.execute("INSERT INTO booths_post (role, title, start_date, booth_id, person_id) SELECT 'booth_president', '', "
              "current_date, b.id, s.person_id FROM s JOIN booths_assemblyseat a ON a.number = s.ac "
              "JOIN booths_booth b ON b.assembly_seat_id = a.id AND b.number = s.booth WHERE s.person_id IS NOT NULL")
print(f"REFERENCE {{time.perf_counter() - started:.3f}}")
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


def run(label: str, path: Path, url: str) -> float:
    seconds, peak, output = manage("import_roster", str(path), url=url)
    # The summary: the first line after the progress lines ("checking the rows: ...").
    summary = next(line for line in output.splitlines() if not line.startswith(PROGRESS_LINES))
    print(f"  {label:<34} {seconds:6.1f} s  peak {peak:5} MiB  ({summary})")
    return seconds


PROGRESS_LINES = ("reading the file:", "checking the rows:", "writing to the roster:")


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

    with scratch_database("bench_import_reference") as url:
        seconds, peak, output = manage("shell", "-c", REFERENCE.format(path=str(sheet)), url=url)
        reference = float(output.split("REFERENCE")[-1])
    print(f"  {'reference: COPY into staging, SQL':<34} {reference:6.1f} s  peak {peak:5} MiB  "
          f"(process {seconds:.1f} s; the same checks and upserts set-wise)")  # fmt: skip

    with scratch_database("bench_import_target") as url:
        first = run("first import into an empty database", sheet, url)
        run("the same file again (no changes)", sheet, url)
        run(f"{changed:,} presidents changed", changed_sheet, url)
        full = manage("import_roster", str(sheet), "--dry-run", url=url)[0]
    print(f"  (a dry run of the whole file: {full:.1f} s)")
    print(f"first import / reference: {first / reference:.1f}x")

    with scratch_database("bench_import_naive") as url:
        _s, _p, output = manage("shell", "-c", NAIVE.format(path=str(sheet), rows=args.baseline_rows), url=url)
        naive = float(output.split("NAIVE")[-1])
    estimate = naive / args.baseline_rows * rows
    print(
        f"naive per-row import: {args.baseline_rows:,} rows in {naive:.1f} s; {rows:,} rows ~ {estimate / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
