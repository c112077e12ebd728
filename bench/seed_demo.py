"""How long `seed_demo` takes on PostgreSQL, against a naive per-row baseline.

    .venv/bin/python bench/seed_demo.py [--preset up] [--baseline-booths 1000] [--keep]

Seeds the preset into a fresh database in a child process (wall time, peak
RSS), then times the naive way (one INSERT a row through `Model.save()`) on a
sample of booths in another fresh database, and extrapolates it to the preset.
"""

import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import machine, manage, scratch_database

NAIVE = """
import time, random
from booths.demo import _Generator
from booths.models import *
gen = _Generator(1)
state = State.objects.create(code="UP", name="उत्तर प्रदेश")
region = Region.objects.create(state=state, name="अवध")
district = District.objects.create(region=region, name="लखनऊ")
ls = LokSabhaSeat.objects.create(state=state, number=1, name="लखनऊ")
seat = AssemblySeat.objects.create(state=state, lok_sabha_seat=ls, number=1, name="लखनऊ पश्चिम")
started = time.perf_counter()
for i in range({n}):
    if i % 85 == 0:
        mandal = Mandal.objects.create(district=district, name=f"मंडल {{i}}")
    if i % 6 == 0:
        kendra = ShaktiKendra.objects.create(mandal=mandal, name=f"केंद्र {{i}}")
    booth = Booth.objects.create(
        assembly_seat=seat, number=i + 1, name=f"विद्यालय {{i}}", mandal=mandal, shakti_kendra=kendra
    )
    person = Person.objects.create(name=gen.person_name(), mobile=gen.mobile())
    Post.objects.create(person=person, role="booth_president", booth=booth)
print(f"NAIVE {{time.perf_counter() - started:.3f}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="up")
    parser.add_argument("--baseline-booths", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database (bench_seed_<preset>)")
    args = parser.parse_args()

    print(f"seed_demo --preset {args.preset} on PostgreSQL · {datetime.date.today()} · {machine()}")
    with scratch_database(f"bench_seed_{args.preset}", keep=args.keep) as url:
        seconds, peak_mib, output = manage("seed_demo", "--preset", args.preset, url=url)
    booths = int(
        next(line for line in output.splitlines() if line.strip().startswith("booths")).split()[-1].replace(",", "")
    )
    print(output.rstrip())
    print(f"bulk seed: {seconds:.1f} s wall, {peak_mib} MiB peak RSS, {booths / seconds:,.0f} booths/s")

    with scratch_database("bench_seed_naive") as url:
        _, _, naive_output = manage("shell", "-c", NAIVE.format(n=args.baseline_booths), url=url)
        naive_seconds = float(naive_output.split("NAIVE")[-1])
    naive_rate = args.baseline_booths / naive_seconds
    naive_estimate = booths / naive_rate
    print(
        f"naive per-row save: {args.baseline_booths} booths in {naive_seconds:.1f} s = {naive_rate:,.0f} booths/s; "
        f"{booths:,} booths would take ~{naive_estimate / 60:.1f} min"
    )
    print(f"speed-up of bulk seed over naive: {naive_estimate / seconds:.1f}x")


if __name__ == "__main__":
    main()
