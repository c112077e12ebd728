"""The Celery application: Redis broker in production, a filesystem broker by default."""

import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

app = Celery("outreach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender: Celery, **kwargs: Any) -> None:
    # The filesystem transport expects its folders to exist already.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
@beat_init.connect
def _refuse_to_start_without_delivery_backends(**kwargs: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from .startup import delivery_backends_check

    try:
        delivery_backends_check()
    except ImproperlyConfigured as exc:
        # Celery logs an exception raised by a signal handler and starts anyway:
        # only SystemExit stops the worker or beat (with the reason, status 1).
        raise SystemExit(f"ImproperlyConfigured: {exc}") from exc
