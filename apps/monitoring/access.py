"""Access rule for every URL name of this app: "public", "login" or "coordinator"."""

# Dashboards: the national dashboard and closing a period are the coordinators'; the indicator
# pages, the public summary, the exports and the open data are public and scope per user (public
# aggregates for anyone who is not a coordinator or the territory's or entity's own people).
DASHBOARDS = {
    "monitoring:dashboard": "coordinator", "monitoring:period_freeze": "coordinator",
    "monitoring:indicator": "public", "monitoring:summary": "public", "monitoring:export": "public",
    "monitoring:municipality_results_export": "public", "monitoring:department_results_export": "public",
    "monitoring:entity_results_export": "public", "monitoring:open_data": "public",
    "monitoring:data_dictionary": "public", "monitoring:data_dictionary_csv": "public",
}

# Follow-ups: the answer page is public; its signed, single-use link is the key.
FOLLOWUPS = {"monitoring:followup_answer": "public"}

# The API (apps/monitoring/api.py): indicators are public aggregates; follow-up answers (personal
# data) and freezing a period are the coordinators'.
API = {
    "api:monitoring-indicator-list": "public", "api:monitoring-followup-list": "coordinator",
    "api:monitoring-followup-detail": "coordinator", "api:monitoring-period-freeze": "coordinator",
}

RULES: dict[str, str] = {**DASHBOARDS, **FOLLOWUPS, **API}
