"""Robocalls over SIP: CFMP dials a SIP trunk or PBX itself with PJSIP (`adapter`;
docs/decisions/0007-sip-robocalls.md). Operators' guide: README.md in this folder."""
