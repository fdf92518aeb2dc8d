"""Settings for the test suite: the real settings, with a test-only secret key and fast hashing."""

import os

os.environ.setdefault("CFMP_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")

from cfmp.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files are served from the package by WhiteNoise's finders; nothing is collected in tests.
STATIC_ROOT = None
# Tasks run inline in the test process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CFMP_SIMULATOR_ALLOWED = True  # the simulator stands in for gateways in tests
CFMP_SIMULATOR_CITIZENS = False  # tests that want the simulated citizens turn them on
CFMP_KIOSK_IDENTITY = "simulator"  # fingerprints "verified" by the simulator in tests
CFMP_SECURITY_CONTACTS = ["mailto:security@example.test"]  # /.well-known/security.txt served
# Complaints shown to the minute, as they arrive: the suite's other tests read pages about a
# single transaction each. tests/privacy turns the guarantee on (k = 5) and plays attacker.
CFMP_ANONYMITY_K = 1
