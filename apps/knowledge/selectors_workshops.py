"""Reads of workshops (talleres): the public list, one workshop with its tree, and the PATT tree.

Workshops are public (see `permissions_workshops`): the selectors take the acting user anyway, so
that a rule added later has one place to live. Every read is a constant number of queries.
"""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.knowledge.models import Commitment, TreeNode, Workshop

LIST_ONLY = ("slug", "title", "held_on", "place", "organizers", "participants", "participants_count",
             "central_problem", "objective", "is_patt", "municipality__display_name", "department__display_name")


def workshop_list(*, user: User, q: str = "", year: int | None = None) -> QuerySet[Workshop]:
    """Every workshop but the PATT tree's record, newest first, with counts of what each recorded
    (one query)."""
    qs = (Workshop.objects.filter(is_patt=False)
          .select_related("municipality", "department")
          .annotate(commitments_count=Count("commitments", distinct=True),
                    challenges_count=Count("challenges", distinct=True))
          .order_by("-held_on", "-id"))
    if q:
        qs = qs.filter(title__icontains=q[:100])
    if year:
        qs = qs.filter(held_on__year=year)
    return qs


def _detail_queryset() -> QuerySet[Workshop]:
    commitments = Commitment.objects.select_related("responsible").order_by("id")
    return (Workshop.objects.select_related("municipality", "department", "event", "created_by")
            .prefetch_related("organizer_organizations", "participant_organizations", "challenges",
                              Prefetch("commitments", queryset=commitments),
                              Prefetch("tree_nodes", queryset=TreeNode.objects.order_by("position", "id"))))


def workshop_get(*, user: User, slug: str) -> Workshop:
    """One workshop with organisers, participants, tree nodes, challenges and commitments
    prefetched (six queries); 404 when missing."""
    workshop = _detail_queryset().filter(slug=slug[:80]).first()
    if workshop is None:
        raise Http404
    return workshop


def patt_tree_get(*, user: User) -> Workshop:
    """The policy's shared problem tree (the record flagged `is_patt`); 404 until it is loaded."""
    workshop = _detail_queryset().filter(is_patt=True).order_by("id").first()
    if workshop is None:
        raise Http404
    return workshop


def workshop_history(*, workshop: Workshop) -> QuerySet:
    """The workshop's last 20 changes, newest first (shown to those who may edit it)."""
    return workshop.history.select_related("history_user").order_by("-history_date")[:20]
