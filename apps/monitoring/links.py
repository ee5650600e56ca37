"""The personal link of a follow-up: signed (django.core.signing, its own salt), naming the
invitation and its nonce. No account is needed: whoever holds the link answers for that invitation,
once. Rotating the nonce (`services.invitation_resend`) invalidates every link sent before; the
expiry and the single use are the invitation's (`expires_at`, `answered_at`), checked by the page.
"""

from django.core import signing
from django.urls import reverse

from apps.monitoring.models import Invitation

SALT = "apps.monitoring.followup-link"
# A token is about 70 characters; anything much longer is not one of ours (and not worth decoding).
MAX_TOKEN_LENGTH = 300


def _signer() -> signing.Signer:
    # No timestamp: the invitation keeps its own expiry, and the reminders carry the very same link.
    return signing.Signer(salt=SALT)


def invitation_token(invitation: Invitation) -> str:
    return _signer().sign_object({"i": invitation.pk, "n": invitation.nonce})


def invitation_path(invitation: Invitation) -> str:
    """The site path of the answer page (the outbox prefixes SITE_URL in e-mails)."""
    return reverse("monitoring:followup_answer", args=[invitation_token(invitation)])


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation the token names, or None when it is tampered with, malformed or out of date
    (a nonce rotated since it was sent)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int) or not isinstance(payload.get("n"), str):
        return None
    return (Invitation.objects.select_related("template__survey", "event", "municipality", "department")
            .filter(pk=payload["i"], nonce=payload["n"]).first())
