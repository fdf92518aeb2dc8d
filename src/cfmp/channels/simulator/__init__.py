"""The built-in citizen simulator: stands in for the phone network in the demo and the
tests only (docs/decisions/0008). Its adapter accepts every SMS and robocall; its citizens
(`citizens`) react a few seconds later through the real paths (`reactions`, `tasks`).
Guide: README.md in this folder."""
