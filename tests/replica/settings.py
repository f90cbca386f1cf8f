"""Settings of the scenario processes (tests/replica/scenarios.py): production settings from
the environment — DATABASE_URL and DATABASE_REPLICA_URL point at the test's own primary and
replica — with static files read from the app folders and a fast password hash."""

from undersigned.config.settings import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
