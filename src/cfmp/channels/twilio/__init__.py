"""Robocalls through a Twilio-compatible cloud voice API: the REST call (`adapter`), the
call's script and the provider's signed callbacks (`views`). Operators' guide: README.md in
this folder."""
