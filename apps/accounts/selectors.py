from django.db.models import Count, QuerySet
from django.http import Http404
from rest_framework.authtoken.models import Token

from apps.accounts.models import Organization, User
from apps.accounts.permissions import organization_scope


def organization_list(*, user: User) -> QuerySet[Organization]:
    """Organisations the user may see; see `permissions.organization_scope` for the rules."""
    return (
        Organization.objects.filter(organization_scope(user))
        .select_related("department", "municipality", "national_entity")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )


def organization_get(*, user: User, pk: int) -> Organization:
    """One organisation; 404 alike for missing and not-yours, so ids reveal nothing."""
    org = organization_list(user=user).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def token_get(*, user: User) -> Token | None:
    """The person's API token, if they have one (expired or not: `authentication.token_is_expired`)."""
    return Token.objects.filter(user=user).first()
