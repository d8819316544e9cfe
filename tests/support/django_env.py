"""Configure Django once, with the few settings xblocks-contrib reads.

xblocks-contrib (the html/problem blocks and the CAPA engine extracted from the platform)
reads Django settings at import time (``USE_I18N``) and at run time (``STATIC_URL``), but needs
no database and no installed app. Every test helper that imports it calls ``configure_django()``
first; the call is idempotent and keeps settings configured before (or named by
``DJANGO_SETTINGS_MODULE``, as with xblock-sdk's settings), so helpers can share one process.
"""
import os

import django
from django.apps import apps
from django.conf import settings

MINIMAL_SETTINGS = {
    "SECRET_KEY": "tests-only",
    "INSTALLED_APPS": [],
    "DATABASES": {},
    "USE_I18N": False,
    "LANGUAGE_CODE": "en",
    "STATIC_URL": "/static/",
    "USE_TZ": True,
}


def configure_django() -> None:
    """Configure minimal settings unless Django is already configured, then set the apps up."""
    if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
        settings.configure(**MINIMAL_SETTINGS)
    if not apps.ready:
        django.setup()
