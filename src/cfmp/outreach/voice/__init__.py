"""Robocalls: the recorded prompts, the call's script (play, collect one key, thank,
hang up) and what its outcome means for the attempt. The channels that place calls
(SIP, a Twilio-compatible cloud API, the simulator) live with the other adapters in
`cfmp.channels`."""
