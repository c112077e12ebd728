# Dates and numbers as Indians write them, in English too.
from outreach.formats.hi.formats import *  # noqa: F403
