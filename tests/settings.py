"""Settings for the test suite: production settings, with DEBUG off and a throwaway key.

The environment is set before the real settings are read, as an operator's would be.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-check-0123456789")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("EMAIL_URL", None)
os.environ.pop("REDIS_URL", None)
# One database: the read replica is tested against a real one (tests/replica/).
os.environ.pop("DATABASE_REPLICA_URL", None)
# Scripted tests sign from one address, as the benchmark does: the proof of work is off
# unless a test turns it on (tests/signatures/test_proof_of_work.py).
os.environ.setdefault("PROOF_OF_WORK", "off")

from undersigned.config.settings import *  # noqa: F403

# Static files from the app folders, without a collectstatic step.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A test database of this run's own, so two suites (a developer's and CI's) never collide.
_test_db = DATABASES["default"].setdefault("TEST", {})  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    _test_db["NAME"] = str(DATA_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
else:
    _test_db["NAME"] = f"test_{DATABASES['default']['NAME']}_{os.getpid()}"  # noqa: F405
