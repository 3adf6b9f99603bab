"""WSGI entry point: ``gunicorn byline.web.wsgi`` or ``byline serve``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.web.settings")
application = get_wsgi_application()
