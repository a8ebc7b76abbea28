"""Celery app for scale-out: `celery -A simpul worker` and `celery -A simpul beat`, broker Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")

app = Celery("simpul")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
