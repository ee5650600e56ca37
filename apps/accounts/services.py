"""Writes for people and organisations."""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from apps.accounts.authentication import token_is_expired
from apps.accounts.models import Organization, User
from apps.accounts.permissions import role_grant_problem
from apps.core.middleware import CONTROL_IN_VALUE
from apps.core.outbox import notify
from apps.core.uploads import BadFile, check_spreadsheet, csv_rows, decode_csv
from apps.core.validators import no_line_breaks
from apps.territory.models import Department, Municipality, NationalEntity


def organization_resolve(code: str) -> Organization:
    """The organisation named by a DIVIPOLA code (`25001`, `25`), an entity acronym or `DNP`.

    Organisations are created on first use: 1,200 empty rows up front would only be noise.
    Raises ValidationError with a Spanish message when the code names nothing.
    """
    code = (code or "").strip()
    if code.upper() == "DNP":
        org, _created = Organization.objects.get_or_create(
            kind=Organization.Kind.DNP, defaults={"name": "DNP - Coordinación de la Agenda ATT"}
        )
        return org
    if code.isdigit() and len(code) == 5:
        muni = Municipality.objects.select_related("department").filter(code=code).first()
        if muni is None:
            raise ValidationError(_("No existe el municipio con código DIVIPOLA %(code)s.") % {"code": code})
        org, _created = Organization.objects.get_or_create(
            municipality=muni,
            defaults={
                "kind": Organization.Kind.MUNICIPALITY,
                "department_id": muni.department_id,
                "name": f"Alcaldía de {muni.display_name} ({muni.department.display_name})",
            },
        )
        return org
    if code.isdigit() and len(code) <= 2:
        dept = Department.objects.filter(code=code.zfill(2)).first()
        if dept is None:
            raise ValidationError(_("No existe el departamento con código DIVIPOLA %(code)s.") % {"code": code})
        org, _created = Organization.objects.get_or_create(
            kind=Organization.Kind.DEPARTMENT,
            department=dept,
            defaults={"name": f"Gobernación de {dept.display_name}"},
        )
        return org
    entity = NationalEntity.objects.filter(acronym__iexact=code).first()
    if entity is None:
        raise ValidationError(
            _("«%(code)s» no es un código DIVIPOLA, la sigla de una entidad nacional ni DNP.") % {"code": code}
        )
    org, _created = Organization.objects.get_or_create(
        national_entity=entity, defaults={"kind": Organization.Kind.NATIONAL_ENTITY, "name": entity.name}
    )
    return org


def user_create(
    *, actor: User | None, email: str, password: str | None, organization: Organization, role: str,
    full_name: str = "",
) -> User:
    """Create a person on behalf of `actor` (None: the system, i.e. a management command).

    Validates e-mail, that `actor` may grant `role` in `organization` (`permissions.role_grant_problem`)
    and password strength. Admins get the Django admin (is_staff, is_superuser).
    """
    email = (email or "").strip().lower()
    validate_email(email)
    problem = role_grant_problem(actor, role, organization)
    if problem:
        raise ValidationError(problem)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Ya existe una persona con el correo %(email)s.") % {"email": email})
    full_name = (full_name or "").strip()
    _check_full_name(full_name)
    user = User(email=email, full_name=full_name, organization=organization, role=role)
    if password:
        validate_password(password, user)
    user.is_staff = user.is_superuser = role == User.Role.ADMIN
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    return user


def _check_full_name(full_name: str) -> None:
    """The name goes into e-mail greetings and the From of notices: one line, no control
    characters (PostgreSQL refuses NUL), within the column's length. An import's quoted CSV
    cell, unlike a form, can carry any of these."""
    try:
        no_line_breaks(full_name)
    except ValidationError:
        raise ValidationError(_("Escriba el nombre completo en una sola línea.")) from None
    if CONTROL_IN_VALUE.search(full_name):
        raise ValidationError(_("El nombre completo trae caracteres de control (como el carácter nulo)."))
    limit = User._meta.get_field("full_name").max_length or 150
    if len(full_name) > limit:
        raise ValidationError(_("El nombre completo pasa de %(limit)d caracteres.") % {"limit": limit})


@dataclass
class UserImportResult:
    created: list[User] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


USER_CSV_COLUMNS = ("email", "organization", "role", "full_name")


# A people file onboards an organisation or a few: hundreds of rows, a handful of columns.
PEOPLE_MAX_BYTES = 1024 * 1024
PEOPLE_MAX_ROWS = 5_000
PEOPLE_MAX_COLS = 20


def _people_rows(content: bytes) -> list[list[str]]:
    """The CSV's rows through the upload guard (UTF-8 or Windows-1252, `,` or `;`); raises BadFile."""
    check_spreadsheet(io.BytesIO(content), max_bytes=PEOPLE_MAX_BYTES, max_rows=PEOPLE_MAX_ROWS,
                      max_cols=PEOPLE_MAX_COLS, formats=("csv",))
    return list(csv_rows(decode_csv(content), max_cols=PEOPLE_MAX_COLS, max_rows=PEOPLE_MAX_ROWS))


def users_import_csv(*, actor: User | None, content: bytes, dry_run: bool = False) -> UserImportResult:
    """Bulk onboarding from a CSV (email, organization, role[, full_name][, password]) by `actor`
    (None: the system); each row's role must be one `actor` may grant (`user_create`).

    All or nothing: when any row is wrong nothing is written and every wrong row is reported
    with its line number. Each person without a password gets an invitation to create it
    (`user_invite`), sent once the import commits.
    """
    result = UserImportResult()
    try:
        rows = _people_rows(content)
    except BadFile as exc:
        result.errors.append((0, str(exc)))
        return result
    headers = [(h or "").strip().lower() for h in (rows[0] if rows else [])]
    missing = [c for c in ("email", "organization", "role") if c not in headers]
    if missing:
        result.errors.append((1, _("Faltan columnas: %(cols)s.") % {"cols": ", ".join(missing)}))
        return result
    seen: set[str] = set()
    with transaction.atomic():
        for line, values in enumerate(rows[1:], start=2):
            if not any(v.strip() for v in values):
                continue
            row = dict.fromkeys(headers, "") | dict(zip(headers, (v.strip() for v in values), strict=False))
            try:
                if row["email"].lower() in seen:
                    raise ValidationError(_("Correo repetido en el archivo."))
                seen.add(row["email"].lower())
                result.created.append(
                    user_create(
                        actor=actor, email=row["email"], password=row.get("password") or None,
                        organization=organization_resolve(row["organization"]), role=row["role"],
                        full_name=row.get("full_name", ""),
                    )
                )
            except ValidationError as exc:
                result.errors.append((line, " ".join(exc.messages)))
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            for user in result.created:
                if not user.has_usable_password():
                    user_invite(user=user)
    if result.errors:
        result.created = []
    return result


def organization_update_contact(*, organization: Organization, email: str, phone: str, address: str) -> None:
    organization.email, organization.phone, organization.address = email, phone, address
    organization.save(update_fields=["email", "phone", "address"])


def user_password_set(*, user: User, password: str | None) -> None:
    """Set (or, with None, make unusable) a person's password, and end their API token: every path
    that changes a password (change, reset, invitation, admin) goes through here."""
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()


def token_issue(*, user: User) -> Token:
    """The person's API token: the current one, or a new one when there is none or it expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not token_is_expired(token):
            return token
        if token is not None:
            token.delete()
        return Token.objects.create(user=user)


def token_revoke(*, user: User) -> bool:
    """End the person's API token now; False when they had none."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted > 0


def user_invite(*, user: User, renew: bool = False) -> bool:
    """Invite a person without a password to create one: an outbox notice with a set-password link
    (the password-reset confirm page), e-mailed once the caller's transaction commits.

    The idempotency key holds the tail of the unusable password, so inviting twice sends once;
    `renew` draws a new unusable password first, so a new invitation goes out and the old link
    stops working (admin action «Enviar invitación»). People with a password get no invitation
    (False): they use «¿Olvidó su contraseña?».
    """
    if user.has_usable_password() or not user.is_active:
        return False
    if renew:
        user_password_set(user=user, password=None)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    org = user.organization.name if user.organization else _("la Agenda ATT")
    notify(
        key=f"accounts:invite:{user.id}:{user.password[-8:] or 'x'}",
        kind="accounts.invitation",
        subject=_("Cree su contraseña de la Agenda ATT"),
        text=_(
            "Le dieron acceso a la Agenda ATT como %(role)s de %(org)s, con el correo %(email)s. "
            "Para entrar, cree su contraseña con este enlace; vale %(days)d días. Si venció, pida otro en "
            "«¿Olvidó su contraseña?» de la página de ingreso."
        ) % {"role": user.get_role_display().lower(), "org": org, "email": user.email, "days": days},
        link=link,
        recipient=user,
    )
    return True
