"""Who may do what with surveys.

- Imports, rejected rows and the full results pages: DNP coordinators and admins.
- The results API (aggregates the DNP published in its 2021 report): any signed-in person.
- A municipality's 2021 baseline (its answers to the municipal survey): coordinators and the
  editors of that municipality or of its department.
- A national entity's 2021 baseline (how it provides ATT): public, like the offer catalogue.
"""

from apps.accounts.models import Organization


def can_manage_surveys(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_coordinator)


def can_see_municipal_baseline(user, municipality) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_coordinator:
        return True
    org = user.organization
    if org is None:
        return False
    if org.kind == Organization.Kind.DEPARTMENT:
        return org.department_id == municipality.department_id
    return org.kind == Organization.Kind.MUNICIPALITY and org.municipality_id == municipality.pk
