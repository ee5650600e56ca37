"""Access rule for every URL name of this app: "public", "login" or "coordinator".

"public" pages scope per object through selectors: an anonymous visitor sees only the published
agenda, without personal data; the feed's secret token is its own key. "login" pages scope per
object too (another organisation's event answers 404).
"""

PUBLIC = {"agenda:calendar", "agenda:event", "agenda:event_ics", "agenda:export", "agenda:feed"}
LOGIN = {
    "agenda:mine", "agenda:event_new", "agenda:event_edit", "agenda:event_transition", "agenda:feed_settings",
    "agenda:event_commitments",  # apps/knowledge/views_commitments.py: a realised jornada's commitments
    # The API (agenda-core's apps/agenda/api.py): signed-in, scoped per object by the selectors.
    "api:agenda-event-list", "api:agenda-event-detail", "api:agenda-event-transition", "api:agenda-match-list",
    "api:agenda-conflict-list", "api:agenda-conflict-merge", "api:agenda-feed-list",
}
COORDINATOR = {"agenda:match_accept", "agenda:conflicts", "agenda:conflict_merge", "agenda:periods",
               "agenda:period_publish"}

RULES: dict[str, str] = ({name: "public" for name in PUBLIC} | {name: "login" for name in LOGIN}
                         | {name: "coordinator" for name in COORDINATOR})
