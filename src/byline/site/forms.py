"""Forms that strangers fill in — sign-up, and a guest's reply — and the checks that keep bots
out of them without email, JavaScript, a picture puzzle or any outside service:

- a honeypot: a text field labelled "Leave this field empty", hidden from sight and from
  screen readers (``aria-hidden``, out of the tab order); form-filling bots fill it in;
- a signed timestamp (``form_token``): a form sent back sooner than
  ``BYLINE_FORM_MIN_SECONDS`` after it was served was not filled in by a person, one older
  than ``BYLINE_FORM_MAX_HOURS`` is a replayed copy; the signature (the site's secret key)
  means it cannot be made up;
- the per-address limits (``byline.news.throttle``) and, for sign-up, Django's password
  validators."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.core import signing

HONEYPOT = "website"
TOKEN = "started"
_SALT = "byline.site.forms.started"

if TYPE_CHECKING:
    _UserCreationForm = UserCreationForm[Any]
else:
    _UserCreationForm = UserCreationForm


def form_token(at: float | None = None) -> str:
    """A signed note of when a form was served (``at``: seconds since the epoch, now by
    default)."""
    return signing.dumps({"t": round(time.time() if at is None else at, 3)}, salt=_SALT)


def token_problem(token: str) -> str:
    """Why a form's ``started`` token is refused (too fast, too old, missing or forged), or
    "" when it is good."""
    config = settings.BYLINE
    try:
        served = float(signing.loads(token, salt=_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "The form could not be checked; please fill it in again."
    age = time.time() - served
    if age < float(config.form_min_seconds):
        return (
            "That was sent very quickly after the page loaded; please check it and send it again."
        )
    if age > float(config.form_max_hours) * 3600:
        return "The form was open too long and has expired; please send it again."
    return ""


def honeypot_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(
            attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}
        ),
    )


class SignupForm(_UserCreationForm):
    """Django's user-name-and-password sign-up (with its password validators), plus the
    honeypot and the signed timestamp. No email address is asked for."""

    website = honeypot_field()
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                "Sign-up refused: the field “Leave this field empty” was filled in.",
                code="honeypot",
            )
        problem = token_problem(str(cleaned.get(TOKEN) or ""))
        if problem:
            raise forms.ValidationError(problem, code="timing")
        return cleaned

    def fresh_token(self) -> None:
        """Serve the form again with a new timestamp (the one sent back was spent)."""
        if self.is_bound:
            data = dict(self.data.items())
            data[TOKEN] = form_token()
            self.data = data
        else:
            self.initial[TOKEN] = form_token()
