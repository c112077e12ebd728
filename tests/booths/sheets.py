"""Writing real roster files (CSV and XLSX) for the import tests."""

import csv
from pathlib import Path

from openpyxl import Workbook, load_workbook

from booths.roster.callers import CALLER_COLUMNS
from booths.roster.importer import ROSTER_COLUMNS


def booth_row(number: int = 1, **cells: object) -> dict[str, object]:
    """A valid roster row for booth `number` of assembly seat 171; override any cell."""
    row = {
        "region": "अवध",
        "district": "लखनऊ महानगर",
        "mandal": "चौक",
        "shakti_kendra": "नखास",
        "lok_sabha_no": 35,
        "lok_sabha_name": "लखनऊ",
        "assembly_no": 171,
        "assembly_name": "लखनऊ पश्चिम",
        "booth_no": number,
        "booth_name": f"प्राथमिक विद्यालय नखास कक्ष {number}",
        "president_name": f"राम प्रसाद {number}",
        "president_phone": f"98{number:08d}",
        "president_alt_phone": "",
    }
    row.update(cells)
    return row


def caller_row(**cells: object) -> dict[str, object]:
    row = {
        "name": "सुरेश चंद्र",
        "phone": "9811122233",
        "role": "district_incharge",
        "districts": "लखनऊ महानगर",
        "regions": "",
        "email": "",
    }
    row.update(cells)
    return row


def write_sheet(
    path: Path, rows: list[dict[str, object]], columns: list[str] | None = None, *, bom: bool = False
) -> Path:
    """Write rows to `path` (.csv or .xlsx); XLSX keeps numbers as numbers, as Excel would."""
    columns = columns or (CALLER_COLUMNS if rows and "role" in rows[0] else ROSTER_COLUMNS)
    if path.suffix == ".xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([row.get(column, "") for column in columns])
    return path


def read_sheet(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".xlsx":
        rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        return [dict(zip(rows[0], [str(v or "") for v in row], strict=False)) for row in rows[1:]]
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def state_sheet(path: Path, booths: int = 163_000) -> Path:
    """A synthetic roster shaped like a big state's (UP: 163,000 booths, 403 assembly
    seats in 80 Lok Sabha seats, 98 districts in 6 regions, ~20 mandals a district),
    written straight to CSV: a few seconds, where seeding and exporting takes a minute.
    One booth in 12 is vacant; one president in 50 shares a number with the booth before."""
    seats, lok_sabha, districts, regions = 403, 80, 98, 6
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(ROSTER_COLUMNS)
        for n in range(booths):
            seat = n * seats // booths
            district = seat * districts // seats
            mandal = district * 20 + n % 20
            vacant = n % 12 == 11
            phone = f"9{(n - 1 if n % 50 == 7 else n) * 7919 % 10**9:09d}"
            writer.writerow([
                f"क्षेत्र {district % regions}", f"जिला {district}", f"मंडल {mandal}", f"शक्ति केंद्र {mandal}-{n % 5}",
                seat * lok_sabha // seats + 1, f"लोक सभा {seat * lok_sabha // seats + 1}",
                seat + 1, f"विधान सभा {seat + 1}",
                n + 1, f"प्राथमिक विद्यालय कक्ष {n + 1}",
                "" if vacant else f"बूथ अध्यक्ष {n + 1}", "" if vacant else phone,
                f"8{n * 31 % 10**9:09d}" if n % 9 == 0 and not vacant else "",
            ])  # fmt: skip
    return path
