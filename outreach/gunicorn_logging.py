"""Logs without sign-in links: `/s/<token>` signs a caller in for the day, so
whoever reads the log could too. The token is logged as `/s/…`, in gunicorn's
access log (MaskedLinksLogger, see gunicorn.conf.py) and in the app's own log
(MaskedLinksFilter, e.g. Django's "Forbidden: /s/..." for a refused link)."""

import logging
import re

from gunicorn.glogging import Logger

_SIGNIN_TOKEN = re.compile(r"/s/[^/?#\s\"]+")


def mask(value: object) -> object:
    return _SIGNIN_TOKEN.sub("/s/…", value) if isinstance(value, str) else value


class MaskedLinksLogger(Logger):
    def atoms(self, resp: object, req: object, environ: dict, request_time: object) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) for key, value in atoms.items()}


class MaskedLinksFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if "/s/" in str(record.msg) or any("/s/" in str(arg) for arg in (record.args or ())):
            record.msg = mask(record.getMessage())
            record.args = ()
        return True
