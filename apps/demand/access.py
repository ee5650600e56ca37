"""Access rule for every URL name of this app: "public", "login" or "coordinator".

"login" pages scope per object through selectors (another organisation's need answers 404).
"""

LOGIN = {
    "demand:mine", "demand:create", "demand:detail", "demand:edit", "demand:transition", "demand:message",
    "demand:notifications",
    "api:need-list", "api:need-detail", "api:need-transition", "api:need-messages",
}
COORDINATOR = {"demand:inbox", "demand:export", "demand:summary"}

RULES: dict[str, str] = {name: "login" for name in LOGIN} | {name: "coordinator" for name in COORDINATOR}
