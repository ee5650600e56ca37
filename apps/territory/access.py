"""Access rule for every URL name of this app: "public", "login" or "coordinator" (see apps/core/access.py).

DIVIPOLA, national entities and sectors are reference data: public pages and API.
"""

RULES: dict[str, str] = {
    "territory:departments": "public",
    "territory:department": "public",
    "territory:municipality": "public",
    # The handover report: the territory's people and coordinators (others 404, see views_handover).
    "territory:municipality_handover": "login",
    "territory:department_handover": "login",
    "territory:municipality_suggest": "public",
    "territory:entities": "public",
    "territory:entity": "public",
    "api:department-list": "public",
    "api:department-detail": "public",
    "api:municipality-list": "public",
    "api:municipality-detail": "public",
    "api:entity-list": "public",
    "api:entity-detail": "public",
    "api:sector-list": "public",
    "api:sector-detail": "public",
}
