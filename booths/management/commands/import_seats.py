from booths.management.commands.import_roster import SheetImportCommand
from booths.seats import SEAT_COLUMNS, seats_import


class Command(SheetImportCommand):
    help = (
        "Set the Lok Sabha seats' target and last vote share from a sheet with the columns "
        f"{','.join(SEAT_COLUMNS)}; nothing is written if a row is bad."
    )
    importer = staticmethod(seats_import)
