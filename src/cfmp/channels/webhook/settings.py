"""The webhook's settings: none beyond its key (CFMP_WEBHOOK_KEYS, cfmp.core.keys)."""
