"""The simulator's settings, read into the project's settings. Whether it may be used at all
is the project's CFMP_SIMULATOR_ALLOWED (the demo and the tests only)."""

import os

from cfmp.core.env import env_bool

# The simulator's citizens answer (delivery reports, replies); 0 makes it a silent sink.
CFMP_SIMULATOR_CITIZENS = env_bool("CFMP_SIMULATOR_CITIZENS", True)
CFMP_SIMULATOR_SEED = os.environ.get("CFMP_SIMULATOR_SEED", "cfmp")
