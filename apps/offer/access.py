"""Access rule for every URL name of this app: "public", "login" or "coordinator".

Public pages show only published services to anonymous visitors; the selectors widen the view
per person (see permissions.py).
"""

RULES: dict[str, str] = {
    "offer:catalogue": "public",
    "offer:service": "public",
    "offer:export": "public",
    "offer:create": "login",
    "offer:edit": "login",
    "offer:publish": "login",
    "offer:archive": "login",
    "offer:redraft": "login",
    "offer:delete": "login",
    "offer:mine": "login",
    "offer:import": "login",
    "api:offer-list": "public",
    "api:offer-detail": "public",
    "api:offer-publish": "login",
    "api:offer-archive": "login",
}
