"""政务公开: a plan's public progress page turned on or off, and the texts it shows."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments import audit

from ..models import Plan, PublicProgress
from ..status import data_changed
from .common import model_update

PUBLIC_TEXT_MAX = 2000


@transaction.atomic
def plan_set_public(*, plan, public, actor):
    if public and plan.status == Plan.Status.DRAFT:
        raise ValidationError(_("A draft plan cannot be made public; publish it to its units first."))
    model_update(instance=plan, data={"public_progress": public}, actor=actor)
    audit.record("public_progress", user=actor, obj=plan, detail="on" if public else "off")
    data_changed()  # the cached public page
    return plan


@transaction.atomic
def public_progress_approve(*, task, month, text, actor):
    """A new published text for the task (the page shows the newest not withdrawn)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the text to publish.")})
    if len(text) > PUBLIC_TEXT_MAX:
        raise ValidationError(
            {"text": _("Keep the published text within %(count)d characters.") % {"count": PUBLIC_TEXT_MAX}})
    if month.year != task.plan.year:
        raise ValidationError({"month": _("Choose a month of the plan's year.")})
    entry = PublicProgress(task=task, month=month.replace(day=1), text=text, approved_by=actor)
    entry.full_clean()
    entry.save()
    audit.record("public_progress", user=actor, obj=task, detail=f"approved {month:%Y-%m}")
    data_changed()
    return entry


@transaction.atomic
def public_progress_withdraw(*, task, actor):
    withdrawn = PublicProgress.objects.filter(task=task, withdrawn_at=None).update(withdrawn_at=timezone.now())
    if withdrawn:
        audit.record("public_progress", user=actor, obj=task, detail="withdrawn")
        data_changed()
    return withdrawn
