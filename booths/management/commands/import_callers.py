from booths.management.commands.import_roster import ImportCommand
from booths.roster.callers import callers_import


class Command(ImportCommand):
    help = "Import callers (state office-bearers and district in-charges): people, posts and accounts."
    importer = staticmethod(callers_import)
