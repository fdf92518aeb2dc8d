"""The SIP channel's settings, read into the project's settings (CFMP_CHANNEL_TYPES). The
caller id and ring and key timings are every voice gateway's (the project's settings)."""

import os

CFMP_SIP_TRUNK = os.environ.get("CFMP_SIP_TRUNK", "127.0.0.1:5060")  # host:port
CFMP_SIP_USERNAME = os.environ.get("CFMP_SIP_USERNAME", "")
CFMP_SIP_PASSWORD = os.environ.get("CFMP_SIP_PASSWORD", "")
CFMP_SIP_MAX_CALLS = int(os.environ.get("CFMP_SIP_MAX_CALLS", 100))  # at once, on the trunk
# The address CFMP's SIP and RTP sockets bind to ("" = all of this machine's).
CFMP_SIP_BIND = os.environ.get("CFMP_SIP_BIND", "")
