"""Access rule for every URL name of this app: "public", "login" or "coordinator"."""

RULES: dict[str, str] = {}
