"""WSGI entry point (gunicorn simpul.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
application = get_wsgi_application()
