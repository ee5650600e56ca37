"""Access rule for every URL name of this app: "public", "login" or "coordinator"."""

RULES: dict[str, str] = {
    "surveys:index": "coordinator",
    "surveys:results": "coordinator",
    "surveys:export": "coordinator",
    "surveys:upload": "coordinator",
    "surveys:batch": "coordinator",
    "surveys:batch_progress": "coordinator",
    "surveys:batch_confirm": "coordinator",
    "surveys:batch_discard": "coordinator",
    "surveys:batch_rejected": "coordinator",
    # The aggregates the DNP published in its 2021 report: any signed-in person.
    "api:survey-list": "login",
    "api:survey-detail": "login",
    "api:survey-results": "login",
}
