from booths.management.commands.import_roster import SheetImportCommand
from campaigns.verification.reports_import import COLUMNS, reports_import


class Command(SheetImportCommand):
    help = (
        f"Import units' campaign reports from a CSV (UTF-8) or XLSX file with the columns {','.join(COLUMNS)} "
        "(mandal empty when a district reports as a whole). Nothing is written if a row is bad."
    )
    importer = staticmethod(reports_import)
