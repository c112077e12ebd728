"""Gunicorn's access log without sign-in links: `/s/<token>` signs a caller in
for the day, so whoever reads the log could too. The token is logged as `/s/…`."""

import re

from gunicorn.glogging import Logger

_SIGNIN_TOKEN = re.compile(r"/s/[^/?#\s\"]+")


def mask(value: object) -> object:
    return _SIGNIN_TOKEN.sub("/s/…", value) if isinstance(value, str) else value


class MaskedLinksLogger(Logger):
    def atoms(self, resp: object, req: object, environ: dict, request_time: object) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) for key, value in atoms.items()}
