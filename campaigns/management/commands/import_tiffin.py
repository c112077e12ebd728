from booths.management.commands.import_roster import SheetImportCommand
from campaigns.tiffin_import import COLUMNS, tiffin_import


class Command(SheetImportCommand):
    help = (
        f"Import planned tiffin meetings from a sheet with the columns {','.join(COLUMNS)} (CSV UTF-8 or XLSX); "
        "nothing is written if a row is bad, and a row imported again updates its meeting."
    )
    importer = staticmethod(tiffin_import)
